from django.db import IntegrityError, transaction

from accounts.models import User


def find_or_create_end_user(*, email: str, full_name: str, phone: str = "") -> User:
    """Return the user with this email (matched case-insensitively), creating one if new.

    A new user takes the name and phone given; an existing user's profile is never changed:
    anyone can type anybody's address into a ticket form, so what they type is kept on the
    ticket (Ticket.given_name, given_phone), not written into the account agents rely on.
    """
    email = User.objects.normalize_email(email.strip())
    user = User.objects.filter(email__iexact=email).first()
    if user is not None:
        return user
    try:
        with transaction.atomic():
            return User.objects.create_user(email, full_name=full_name, phone=phone)
    except IntegrityError:
        # Another request created this address a moment ago.
        return User.objects.get(email__iexact=email)
