"""Packages carry English and Dutch names and descriptions: the PURL page lists them, the API gives both."""


def test_the_programme_page_describes_its_packages_in_the_reader_s_language(seeded, client):
    english = client.get("/programme/PURL/").content.decode()
    section = english[english.index('id="packages-title"') :]
    assert "PURL package 2 (joint Nordic: Denmark, Norway, Sweden)" in section
    assert "Sweden, Norway and Denmark jointly fund" in section
    assert "approximately USD 500,000,000.00" in section and "funded by Denmark, Norway, Sweden" in section
    dutch = client.get("/nl/programme/PURL/").content.decode()
    section = dutch[dutch.index('id="packages-title"') :]
    assert "PURL-pakket 2 (gezamenlijk Noords: Denemarken, Noorwegen, Zweden)" in section
    assert "Zweden, Noorwegen en Denemarken financieren samen" in section
    assert "gefinancierd door Denemarken, Noorwegen, Zweden" in section


def test_the_api_gives_both_names_and_descriptions_of_a_package(seeded, client):
    programmes = client.get("/api/v1/programmes/").json()["results"]
    programme = next(p for p in programmes if p["code"] == "PURL")
    nordic = next(p for p in programme["packages"] if p["code"] == "PURL-2")
    assert nordic["name_en"].startswith("PURL package 2") and nordic["name_nl"].startswith("PURL-pakket 2")
    assert nordic["description_nl"].startswith("Zweden, Noorwegen en Denemarken")
