# Logging in, registering and the account page.

auth-log-in = Log in
auth-create-account = Create account
auth-email = E-mail
auth-or-phone = or phone
auth-phone = Phone
auth-name = Name
auth-email-or-phone = E-mail or phone
auth-password = Password
auth-have-account = Have an account?
auth-new-here = New here?
account-title = Your account
account-since = Member since
account-roles = Roles
account-lang-saved = Save on my account
account-lang-browser = Follow my browser
account-lang-save = Save
account-join-merchant = Run a business? Join as a merchant →

role-consumer = consumer
role-platform-admin = platform operator
role-owner = owner
role-manager = manager
role-clerk = clerk
role-rider = rider
role-promoter = promoter
account-invitations = Invitations
account-invitations-empty = No invitations waiting for you.
account-invitation = { $merchant } invites you to its staff as { $role }.
account-invitation-accept = Accept
account-invitation-decline = Decline
account-staff-of = Where I work
account-staff-leave = Leave
account-last-owner = (the last owner cannot leave)
account-done-accepted = Invitation accepted: the merchant console is yours to use.
account-done-declined = Invitation declined.
account-done-left = You have left that merchant's staff.
