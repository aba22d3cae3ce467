"""The password rule: long enough, not the user's name, not one of the commonest passwords.

The list holds the passwords of 8 characters or more that lead the public
lists of leaked passwords (the UK NCSC's top 100,000 from Have I Been Pwned,
SecLists' most common credentials), with a few Polish ones; guessing attacks
try these first. Letter case does not matter.

Examples
--------
>>> validate_password("correct horse battery", "ola")
>>> validate_password("Password1", "ola")
'a password that common is guessed first: choose another'
>>> validate_password("short", "ola")
'a password needs at least 8 characters'
"""

from __future__ import annotations

from kam.i18n import gettext as _

MIN_LENGTH = 8

_COMMON = """
    password password1 password12 password123 password1234 password! passw0rd p@ssw0rd
    p@ssword p@ssw0rd1 12345678 123456789 1234567890 0123456789 987654321 87654321
    11111111 00000000 88888888 12341234 123123123 12121212 11223344 112233445566
    123456789a a1234567 a12345678 aa123456 abc12345 abcd1234 abcdefgh 1234abcd
    qwertyuiop qwerty123 qwerty12 qwerty1234 qwertyui 1qaz2wsx zaq12wsx zaq1@wsx
    1q2w3e4r 1q2w3e4r5t 1q2w3e4r5t6y q1w2e3r4 q1w2e3r4t5 qwer1234 1234qwer asdf1234
    asdfghjkl asdfasdf zxcvbnm1 qweasdzxc 123qweasd 12qwaszx 1qazxsw2 qazwsxedc
    iloveyou iloveyou1 sunshine sunshine1 princess princess1 football football1
    baseball baseball1 basketball superman batman123 starwars whatever trustno1
    welcome welcome1 welcome123 letmein1 letmein123 changeme changeme1 changeme123
    admin123 admin1234 administrator adminadmin rootroot secret123 monkey123 dragon123
    master123 shadow123 michelle jennifer jessica1 computer corvette mercedes
    liverpool chelsea1 arsenal1 pokemon1 charlie1 michael1 jordan23 987654321a
    login123 test1234 testtest guest123 default1 internet hello123 summer2024
    winter2024 spring2024 autumn2024 summer2025 winter2025 summer2026 winter2026
    polska123 polska12 kochanie kochanie1 misiaczek haslo123 haslo1234 qwerty12345
    zaq1xsw2 marcin123 mateusz1 agnieszka
"""
COMMON_PASSWORDS = frozenset(_COMMON.split())


def validate_password(password: str, user_name: str | None = None) -> str | None:
    """What is wrong with ``password`` for the user ``user_name``; ``None`` when it will do."""
    if len(password) < MIN_LENGTH:
        return _("a password needs at least 8 characters")
    folded = password.casefold()
    if user_name and len(user_name) >= 4 and user_name.casefold() in folded:
        return _("a password must not hold the user's name")
    if folded in COMMON_PASSWORDS:
        return _("a password that common is guessed first: choose another")
    return None
