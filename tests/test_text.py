from grantmatch.text import fold


def test_fold_strips_latvian_diacritics_and_case():
    assert fold("Liepājā") == "liepaja"
    assert fold("ĀČĒĢĪĶĻŅŠŪŽ āčēģīķļņšūž") == "acegiklnsuz acegiklnsuz"


def test_fold_handles_letters_outside_the_fast_table():
    assert fold("Tōkyō ŁÓDŹ") == "tokyo łodz"  # ł has no decomposition: kept, lower-cased
    assert fold("plain ascii") == "plain ascii"
