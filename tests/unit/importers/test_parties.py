import pytest

from nco_desktop.importers.parties import party_key, region_for_zone


@pytest.mark.parametrize(
    "written",
    ["(555) 010-0199", "+1 555 010 0199", "15550100199", "555.010.0199", "+1-555-010-0199"],
)
def test_one_us_number_written_five_ways_is_one_key(written):
    assert party_key(written, "US") == "tel:+15550100199"


def test_region_decides_numbers_without_a_country_code():
    assert party_key("020 7946 0958", "GB") == "tel:+442079460958"
    assert party_key("+44 20 7946 0958", "US") == "tel:+442079460958"


def test_short_codes_and_other_parties():
    assert party_key("72975", "US") == "tel:72975"
    assert party_key("Alex@Example.ORG", "US") == "mailto:alex@example.org"
    assert party_key("mailto:alex@example.org", "US") == "mailto:alex@example.org"
    assert party_key("  Jordan   Smith ", "US") == "id:jordan smith"
    assert party_key("", "US") is None and party_key(None, "US") is None


def test_region_from_time_zone():
    assert region_for_zone("America/Chicago") == "US"
    assert region_for_zone("Europe/London") == "GB"
    assert region_for_zone("Australia/Sydney") == "AU"
    assert region_for_zone("Etc/UTC") == "US"  # no country: the documented default
