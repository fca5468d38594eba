"""The folded key columns that people search is built on."""

import unicodedata

from backend_api.people.models import fold, search_keys


def test_fold_is_case_insensitive_beyond_ascii():
    assert fold("ZOË") == fold("Zoë") == "zoë"
    assert fold("ŁUKASZ") == "łukasz"
    assert fold("Straße") == fold("STRASSE") == "strasse"


def test_fold_gives_one_key_for_both_spellings_of_an_accent():
    decomposed = unicodedata.normalize("NFD", "José")
    assert decomposed != "José" and fold(decomposed) == fold("José") == "josé"


def test_search_keys_without_an_email():
    assert search_keys("Ann Lee", None) == {"name_key": "ann lee", "email_key": ""}
    assert search_keys("Ann Lee", "Ann@Example.COM")["email_key"] == "ann@example.com"
