"""django-allauth adapter: sign-up creates the person's profile in the same transaction."""

from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        from .services import person_for_new_user

        user = super().save_user(request, user, form, commit=commit)
        if commit:
            person_for_new_user(user)
        return user
