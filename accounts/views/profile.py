"""An agent's own profile: name, signature, time zone, and a new password."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts import services
from accounts.decorators import agent_required
from accounts.forms import ProfileForm


@require_http_methods(["GET", "POST"])
@agent_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.agent)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.update_profile(
            request.agent,
            full_name=data["full_name"],
            signature=data["signature"],
            timezone=data["timezone"],
        )
        messages.success(request, "Your profile was saved.")
        return redirect("staff:profile")
    return render(request, "accounts/profile.html", {"form": form})


@require_http_methods(["GET", "POST"])
@agent_required
def change_password(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        update_session_auth_hash(request, form.user)  # stay signed in
        messages.success(request, "Your password was changed.")
        return redirect("staff:profile")
    return render(request, "accounts/password_change.html", {"form": form})
