from django.db import IntegrityError, transaction

from accounts.models import User


def find_or_create_end_user(*, email: str, full_name: str, phone: str = "") -> User:
    """Return the user with this email (matched case-insensitively), creating one if new.

    An existing user's name and phone are filled in only where they were blank: a ticket
    form is not a way to rename somebody else's account.
    """
    email = User.objects.normalize_email(email.strip())
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        try:
            with transaction.atomic():
                return User.objects.create_user(email, full_name=full_name, phone=phone)
        except IntegrityError:
            # Another request created this address a moment ago.
            user = User.objects.get(email__iexact=email)
    changed = []
    if not user.full_name and full_name:
        user.full_name = full_name
        changed.append("full_name")
    if not user.phone and phone:
        user.phone = phone
        changed.append("phone")
    if changed:
        user.save(update_fields=changed)
    return user
