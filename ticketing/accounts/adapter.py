from allauth.account.adapter import DefaultAccountAdapter


class StaffAccountAdapter(DefaultAccountAdapter):
    """Staff accounts are created by invitation only; nobody signs themselves up."""

    def is_open_for_signup(self, request):
        return False
