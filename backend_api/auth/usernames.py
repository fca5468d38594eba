"""What a username may be, and the key that makes two spellings of one name the same account.

`Admin`, `admin` and fullwidth `ａｄｍｉｎ` are one name (NFKC, then casefold): one account, one
throttle count. A name must not hide characters (control, format such as zero-width joiners or
right-to-left overrides, private use, unassigned), nor mix scripts with look-alikes (a Cyrillic
`а` among Latin letters), checked with confusable_homoglyphs (Unicode's confusables data), as
django-registration does.
"""

import unicodedata

from confusable_homoglyphs import confusables

from backend_api.core.errors import field_error

HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"})
MAX_KEY_LENGTH = 300  # NFKC can lengthen a name (a ligature becomes its letters)


def username_key(username: str) -> str:
    return unicodedata.normalize("NFKC", username).casefold()


def check_username(username: str) -> str:
    """The key of an acceptable new username; a 400 on `username` otherwise."""
    if username != username.strip():
        raise field_error("username", "A username cannot start or end with a space.")
    if any(unicodedata.category(char) in HIDDEN_CATEGORIES for char in username):
        raise field_error("username", "A username cannot contain invisible or control characters.")
    if confusables.is_dangerous(username):
        raise field_error(
            "username",
            "This username mixes look-alike letters from different alphabets "
            "(such as a Cyrillic 'а' among Latin letters). Use one alphabet.",
        )
    key = username_key(username)
    if len(key) > MAX_KEY_LENGTH:
        raise field_error("username", "This username is too long.")
    return key
