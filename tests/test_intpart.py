"""The INTPART 2022 call: every rule passes and fails where the call says it should."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pendulum
import pytest

import callkit
from callkit import Severity
from samples import INTPART_RULE_IDS, VALID, rule_findings, vary


class TestDefinition:
    """The call carries the confirmed facts of the source, each with its source."""

    def test_found_through_entry_point(self) -> None:
        """intpart-2022 is listed and loads from the installed plugin."""
        assert "intpart-2022" in callkit.list_calls()
        assert callkit.get_call("intpart-2022").id == "intpart-2022"

    def test_titles_in_both_languages(self, intpart: callkit.Call) -> None:
        """The title is given in Norwegian Bokmål and English."""
        assert "Internasjonale partnerskap" in intpart.title.nb
        assert "International Partnerships" in intpart.title.en

    def test_deadline_instant(self, intpart: callkit.Call) -> None:
        """The deadline is 13:00 Europe/Oslo on 16 March 2022, which is 12:00 UTC."""
        deadline = intpart.deadline
        assert isinstance(deadline, pendulum.DateTime)
        assert deadline.timezone_name == "Europe/Oslo"
        assert (deadline.hour, deadline.minute) == (13, 0)
        assert deadline.in_tz("UTC") == pendulum.datetime(2022, 3, 16, 12, 0, tz="UTC")
        assert deadline.utcoffset() == dt.timedelta(hours=1)

    def test_deadline_label_kept_as_published(self, intpart: callkit.Call) -> None:
        """The published label "CEST" is kept, but the instant comes from the zone."""
        (deadline,) = intpart.timeline.of_kind("deadline")
        assert deadline.published == "16.03 kl. 13:00 CEST"
        assert deadline.utc == pendulum.datetime(2022, 3, 16, 12, tz="UTC")

    def test_timeline_in_order_with_uib_milestones(self, intpart: callkit.Call) -> None:
        """The timeline merges the funder's and UiB's milestones in time order."""
        kinds = [(m.kind.value, m.institution) for m in intpart.timeline]
        assert kinds == [
            ("opens", None),
            ("info_session", None),
            ("internal_deadline", "UiB"),
            ("deadline", None),
            ("submission", "UiB"),
            ("earliest_start", None),
            ("latest_start", None),
            ("latest_end", None),
        ]
        internal = intpart.timeline.of_kind("internal_deadline")[0]
        assert internal.whole_day
        assert internal.at == dt.date(2022, 3, 9)

    def test_priority_countries_as_published(self, intpart: callkit.Call) -> None:
        """The nine priority countries of the seed page, with Russia, as first published."""
        rule = intpart.rule("partner-country")
        assert isinstance(rule, callkit.PartnerCountryRule)
        priority, extra = rule.groups
        assert priority.countries == ("BR", "CA", "IN", "JP", "CN", "RU", "ZA", "US", "KR")
        assert priority.provenance.source == "uib"
        assert extra.countries == ("DE", "FR")
        assert extra.provenance.source == "rcn-2022"

    def test_fkb_not_yet_qualifying(self, published: callkit.Call) -> None:
        """FKB arrived with the amendment of 11 February, so the first version lacks it."""
        rule = published.rule("qualifying-funding")
        assert isinstance(rule, callkit.SchemeRule)
        codes = {s.code for s in rule.schemes}
        assert {"SFF", "FME", "SFU", "SFI", "NARP", "PETROSENTER", "KSP"} <= codes
        assert "FKB" not in codes

    def test_every_rule_id(self, intpart: callkit.Call) -> None:
        """The call-wide rules use the ids users filter on."""
        assert tuple(r.id for r in intpart.rules) == INTPART_RULE_IDS
        (uib,) = intpart.policies
        assert [r.id for r in uib.rules] == ["required-field"]

    def test_every_fact_cites_a_source(self, intpart: callkit.Call) -> None:
        """Each rule, milestone, note and policy names a source the call lists."""
        keys = {s.key for s in intpart.sources}
        things = [*intpart.rules, *intpart.milestones, *intpart.notes, *intpart.policies]
        things += [m for p in intpart.policies for m in (*p.milestones, *p.rules, *p.notes)]
        assert things
        for thing in things:
            assert thing.provenance.source in keys

    def test_uib_policy(self, intpart: callkit.Call) -> None:
        """UiB may send 20 applications and goes by its Norwegian and English names."""
        policy = intpart.policy_for("Universitetet i Bergen")
        assert policy is not None
        assert policy.institution == "UiB"
        assert policy.quota is not None
        assert policy.quota.limit == 20
        assert intpart.policy_for("university of bergen") is policy
        assert intpart.policy_for("UIB") is policy
        assert intpart.policy_for("NTNU") is None


class TestValidApplication:
    """An application that meets every rule passes every rule."""

    def test_passes(self, intpart: callkit.Call) -> None:
        """No finding at all, and every rule listed as passed."""
        report = intpart.check(VALID)
        assert report.findings == ()
        assert report.ok
        assert set(report.passed) == {r.id for r in intpart.rules} | {"required-field"}


def _errors(intpart: callkit.Call, app: callkit.Application, rule: str) -> list[callkit.Finding]:
    report = intpart.check(app)
    found = rule_findings(report, rule)
    assert found, f"expected a {rule} finding"
    assert all(f.severity is Severity.ERROR for f in found)
    assert not report.ok
    return found


def _not_assessed(intpart: callkit.Call, app: callkit.Application, rule: str) -> None:
    report = intpart.check(app)
    found = rule_findings(report, rule)
    assert found
    assert all(f.severity is Severity.INFO for f in found)
    assert all(f.message.startswith("not assessed") for f in found)
    assert rule not in report.passed


class TestApplicantInstitution:
    """applicant-institution: a Norwegian university, university college or research body."""

    @pytest.mark.parametrize(
        "kind", ["university", "university_college", "Høgskole", "research_institute"]
    )
    def test_eligible_types(self, intpart: callkit.Call, kind: str) -> None:
        """Each eligible type passes, by code or by name."""
        report = intpart.check(
            vary(institution="NTNU", institution_type=kind, institution_country="NO")
        )
        assert "applicant-institution" in report.passed

    def test_company_fails(self, intpart: callkit.Call) -> None:
        """A company is not an eligible applicant; the finding names the allowed types."""
        (finding,) = _errors(
            intpart,
            vary(institution="Acme AS", institution_type="company", institution_country="NO"),
            "applicant-institution",
        )
        assert finding.field == "institution_type"
        assert finding.value == "company"
        assert "University college" in finding.message

    def test_foreign_institution_fails(self, intpart: callkit.Call) -> None:
        """A Swedish university is not a Norwegian one."""
        (finding,) = _errors(
            intpart,
            vary(institution="Lund", institution_type="university", institution_country="SE"),
            "applicant-institution",
        )
        assert finding.field == "institution_country"
        assert "Sweden" in finding.message

    def test_policy_supplies_type_and_country(self, intpart: callkit.Call) -> None:
        """UiB's policy says it is a Norwegian university, so a bare list is assessed."""
        report = intpart.check(vary(institution="University of Bergen"))
        assert "applicant-institution" in report.passed

    def test_unknown_institution_not_assessed(self, intpart: callkit.Call) -> None:
        """Without type or country, the rule is not assessed rather than failed."""
        _not_assessed(intpart, vary(institution="NTNU"), "applicant-institution")


class TestQualifyingFunding:
    """qualifying-funding: the qualifying project's scheme must be one the call lists."""

    @pytest.mark.parametrize("scheme", ["SFF", "sff", "KSP", "Centres of Excellence", "EU-FP"])
    def test_listed_scheme(self, intpart: callkit.Call, scheme: str) -> None:
        """A listed scheme passes, by code (any case) or by name."""
        assert "qualifying-funding" in intpart.check(vary(qualifying_scheme=scheme)).passed

    def test_fkb_fails_as_first_published(self, published: callkit.Call) -> None:
        """FKB fails: the first version of the call does not list it."""
        (finding,) = _errors(published, vary(qualifying_scheme="FKB"), "qualifying-funding")
        assert finding.value == "FKB"
        assert "SFF" in (finding.limit or "")
        assert finding.source is not None
        assert finding.source.note is not None
        assert "not confirmed" in finding.source.note

    def test_missing_not_assessed(self, intpart: callkit.Call) -> None:
        """No scheme given: not assessed."""
        _not_assessed(intpart, vary(qualifying_scheme=None), "qualifying-funding")


class TestPartnerCountry:
    """partner-country: at least one partner in a priority country (or Germany, France)."""

    @pytest.mark.parametrize("countries", [("BR",), ("SE", "ZA"), ("RU", "IN"), ("DE",), ("FR",)])
    def test_eligible(self, intpart: callkit.Call, countries: tuple[str, ...]) -> None:
        """One partner in an eligible country is enough, whatever the others."""
        assert "partner-country" in intpart.check(vary(partner_countries=countries)).passed

    def test_no_eligible_partner(self, intpart: callkit.Call) -> None:
        """Partners only in Sweden and Finland fail, naming the countries."""
        (finding,) = _errors(intpart, vary(partner_countries=("SE", "FI")), "partner-country")
        assert "Sweden (SE)" in finding.message
        assert "Finland (FI)" in finding.message
        assert finding.source is not None
        assert finding.source.quote is not None
        assert "Panorama" in finding.source.quote

    def test_missing_not_assessed(self, intpart: callkit.Call) -> None:
        """No partner country given: not assessed (and UiB's list misses an item)."""
        _not_assessed(intpart, vary(partner_countries=(), institution="NTNU"), "partner-country")


class TestBudget:
    """budget-per-year and budget-total: NOK 2 million a year, NOK 10 million in all."""

    def test_at_the_limits(self, intpart: callkit.Call) -> None:
        """Exactly NOK 2 000 000 a year for five years passes both rules."""
        report = intpart.check(VALID)
        assert {"budget-per-year", "budget-total"} <= set(report.passed)

    def test_over_per_year(self, intpart: callkit.Call) -> None:
        """One krone over NOK 2 000 000 a year fails, exactly."""
        (finding,) = _errors(
            intpart,
            vary(requested_per_year=Decimal("2000000.01"), duration_years=Decimal(4)),
            "budget-per-year",
        )
        assert finding.value == "2000000.01"
        assert "NOK 2 000 000" in finding.message

    def test_over_total(self, intpart: callkit.Call) -> None:
        """NOK 10 000 001 in total fails budget-total."""
        (finding,) = _errors(
            intpart,
            vary(requested_total=Decimal(10_000_001), own_share=Decimal(3_000_000)),
            "budget-total",
        )
        assert finding.field == "requested_total"

    def test_total_derived_from_years(self, intpart: callkit.Call) -> None:
        """Without requested_total, the total is the amount per year times the years."""
        report = intpart.check(
            vary(requested_per_year=Decimal(1_900_000), duration_years=Decimal(6))
        )
        assert rule_findings(report, "budget-total")[0].value == "11400000"

    def test_other_currency_is_not_compared(self, intpart: callkit.Call) -> None:
        """An amount in EUR fails rather than being compared with a limit in NOK."""
        (finding,) = _errors(
            intpart, vary(currency="EUR", requested_per_year=Decimal(100)), "budget-per-year"
        )
        assert finding.field == "currency"

    def test_missing_not_assessed(self, intpart: callkit.Call) -> None:
        """A faculty list without amounts is not assessed on budget."""
        app = vary(requested_per_year=None, duration_years=None, own_share=None)
        _not_assessed(intpart, app, "budget-per-year")
        _not_assessed(intpart, app, "budget-total")


class TestDuration:
    """duration: at most five years."""

    def test_five_years(self, intpart: callkit.Call) -> None:
        """Five years pass."""
        assert "duration" in intpart.check(vary(duration_years=Decimal(5))).passed

    def test_six_years(self, intpart: callkit.Call) -> None:
        """Six years fail."""
        (finding,) = _errors(
            intpart,
            vary(duration_years=Decimal(6), requested_per_year=Decimal(1_000_000)),
            "duration",
        )
        assert finding.limit == "at most 5"

    def test_missing_not_assessed(self, intpart: callkit.Call) -> None:
        """No duration given: not assessed."""
        _not_assessed(intpart, vary(duration_years=None), "duration")


class TestOwnShare:
    """own-share: at least 20 % of the project budget, which includes the own share."""

    def test_exactly_twenty_percent(self, intpart: callkit.Call) -> None:
        """NOK 2.5 million with NOK 10 million requested is exactly 20 %: it passes."""
        report = intpart.check(
            vary(requested_total=Decimal(10_000_000), own_share=Decimal(2_500_000))
        )
        assert "own-share" in report.passed

    def test_twenty_percent_of_requested_is_not_enough(self, intpart: callkit.Call) -> None:
        """NOK 2 million is 20 % of what is requested but not of the project budget."""
        (finding,) = _errors(
            intpart,
            vary(requested_total=Decimal(10_000_000), own_share=Decimal(2_000_000)),
            "own-share",
        )
        assert "16.7 %" in finding.message
        assert "NOK 2 500 000" in finding.message

    def test_one_krone_short(self, intpart: callkit.Call) -> None:
        """The comparison is exact: one krone short fails."""
        _errors(
            intpart,
            vary(requested_total=Decimal(10_000_000), own_share=Decimal(2_499_999)),
            "own-share",
        )

    def test_needs_total(self, intpart: callkit.Call) -> None:
        """With an own share but no known total, the rule is not assessed."""
        _not_assessed(
            intpart, vary(requested_per_year=Decimal(1), duration_years=None), "own-share"
        )


class TestResearchAndEducation:
    """research-and-education: the project must have both."""

    def test_both(self, intpart: callkit.Call) -> None:
        """Research and education: passes."""
        assert "research-and-education" in intpart.check(VALID).passed

    @pytest.mark.parametrize(("research", "education"), [(True, False), (False, True)])
    def test_one_missing(self, intpart: callkit.Call, research: bool, education: bool) -> None:
        """Either without the other fails, naming the one that is missing."""
        (finding,) = _errors(
            intpart, vary(research=research, education=education), "research-and-education"
        )
        assert finding.field == ("education" if research else "research")

    def test_unknown(self, intpart: callkit.Call) -> None:
        """Not said: not assessed."""
        _not_assessed(intpart, vary(research=None, education=None), "research-and-education")


class TestIneligibleCost:
    """ineligible-cost: no whole positions, infrastructure or ordinary teaching."""

    @pytest.mark.parametrize("cost", ["position", "infrastructure", "ordinary_teaching"])
    def test_ineligible(self, intpart: callkit.Call, cost: str) -> None:
        """Each ineligible category fails and cites its own sentence."""
        (finding,) = _errors(intpart, vary(costs=("mobility", cost)), "ineligible-cost")
        assert finding.value == cost
        assert finding.source is not None
        assert finding.source.quote is not None
        assert finding.source.quote != "Aktiviteter som ikke støttes"

    def test_unknown_category_is_a_warning(self, intpart: callkit.Call) -> None:
        """A category the call does not list is a warning, not an error."""
        report = intpart.check(vary(costs=("equipment",)))
        (finding,) = rule_findings(report, "ineligible-cost")
        assert finding.severity is Severity.WARNING
        assert report.ok

    def test_supported(self, intpart: callkit.Call) -> None:
        """Supported activities pass."""
        costs = ("mobility", "travel", "workshop", "course", "research_school", "digital")
        assert "ineligible-cost" in intpart.check(vary(costs=costs)).passed


class TestRequiredField:
    """required-field: UiB's faculty list must give the five items of its page."""

    @pytest.mark.parametrize(
        "field", ["theme", "applicant", "department", "qualifying_project", "partner_institutions"]
    )
    def test_missing_item(self, intpart: callkit.Call, field: str) -> None:
        """Each missing item of a UiB application is an error naming the field."""
        empty: object = () if field == "partner_institutions" else None
        (finding,) = _errors(intpart, vary(**{field: empty}), "required-field")
        assert finding.field == field

    def test_only_for_uib(self, intpart: callkit.Call) -> None:
        """Another institution's application is not held to UiB's list."""
        report = intpart.check(vary(institution="NTNU", theme=None, department=None))
        assert rule_findings(report, "required-field") == []
        assert "required-field" not in report.passed


def _uib(n: int, **changes: object) -> list[callkit.Application]:
    return [vary(title=f"Application {i}", source=f"list.csv:{i + 2}", **changes) for i in range(n)]


class TestQuota:
    """quota: UiB may send at most 20 applications."""

    def test_twenty_is_within(self, intpart: callkit.Call) -> None:
        """Twenty UiB applications keep the quota."""
        review = intpart.review(_uib(20))
        (quota,) = review.quotas
        assert (quota.count, quota.limit, quota.exceeded) == (20, 20, False)
        assert review.ok

    def test_twenty_one_exceeds(self, intpart: callkit.Call) -> None:
        """Twenty-one exceed it by one: ranking is required, counted per faculty."""
        apps = _uib(15, faculty="MN") + _uib(6, faculty="HF")
        review = intpart.review(apps)
        (quota,) = review.quotas
        assert quota.exceeded
        assert quota.over_by == 1
        assert quota.ranking_required
        assert quota.by_faculty == {"HF": 6, "MN": 15}
        (finding,) = quota.findings
        assert finding.rule == "quota"
        assert finding.severity is Severity.ERROR
        assert "1 over" in finding.message
        assert "HF 6, MN 15" in finding.message
        assert not review.ok
        assert review.to_dict()["quotas"][0]["exceeded"] is True

    def test_counts_only_its_institution(self, intpart: callkit.Call) -> None:
        """Applications from other institutions do not count against UiB's quota."""
        apps = [*_uib(20), vary(institution="NTNU", title="Other")]
        (quota,) = intpart.review(apps).quotas
        assert quota.count == 20

    def test_counts_every_name(self, intpart: callkit.Call) -> None:
        """UiB, Universitetet i Bergen and University of Bergen are one institution."""
        names = ["UiB", "Universitetet i Bergen", "University of Bergen"] * 7
        apps = [vary(title=str(i), institution=n) for i, n in enumerate(names)]
        (quota,) = intpart.review(apps).quotas
        assert quota.count == 21

    def test_unranked_over_quota_warned(self, intpart: callkit.Call) -> None:
        """Over the quota, each application without a rank gets a warning."""
        review = intpart.review(_uib(21, faculty="MN"))
        for report in review.applications:
            (finding,) = rule_findings(report, "quota")
            assert finding.severity is Severity.WARNING
            assert finding.field == "rank"

    def test_duplicate_rank_within_faculty(self, intpart: callkit.Call) -> None:
        """Within the quota, two applications of one faculty with rank 1 both get a warning."""
        apps = [
            vary(title="A", faculty="MN", rank=1),
            vary(title="B", faculty="MN", rank=1),
            vary(title="C", faculty="HF", rank=1),
        ]
        reports = intpart.review(apps).applications
        assert [bool(rule_findings(r, "quota")) for r in reports] == [True, True, False]
        assert rule_findings(reports[0], "quota")[0].severity is Severity.WARNING
        assert all(r.ok for r in reports)

    def test_duplicate_rank_over_the_quota(self, intpart: callkit.Call) -> None:
        """Over the quota, where ranks decide, a duplicate rank is an error."""
        apps = [*_uib(19, faculty="HF"), *(vary(faculty="MN", rank=1) for _ in range(2))]
        reports = intpart.review(apps).applications
        (finding,) = rule_findings(reports[-1], "quota")
        assert finding.severity is Severity.ERROR
        assert finding.field == "rank"
        assert not reports[-1].ok


class TestInstitutionName:
    """A name close to a policy's names is flagged, so no application escapes its quota."""

    def test_near_miss(self, intpart: callkit.Call) -> None:
        """'Univ. of Bergen' is not one of UiB's names: a warning says so and lists them."""
        report = intpart.check(vary(institution="Univ. of Bergen"))
        (finding,) = rule_findings(report, "institution-name")
        assert finding.severity is Severity.WARNING
        assert "University of Bergen" in finding.message
        assert report.institution is None

    def test_other_institution(self, intpart: callkit.Call) -> None:
        """A name unlike any policy's gets no such warning."""
        assert rule_findings(intpart.check(vary(institution="NTNU")), "institution-name") == []


class TestSummary:
    """The summary counts every finding, the quota's included."""

    def test_quota_error_counted(self, intpart: callkit.Call) -> None:
        """Over the quota, the summary counts the quota's error."""
        summary = intpart.review(_uib(21)).summary()
        assert summary["errors"] == 1
        assert summary["quotas_exceeded"] == 1
        assert summary["failed"] == 0


class TestExactness:
    """Amounts are compared exactly, and messages never contradict the verdict."""

    def test_needed_own_share_rounds_up(self, intpart: callkit.Call) -> None:
        """The own share the message asks for would pass: it is rounded up, not to even."""
        app = vary(requested_total=Decimal(9_999_997), own_share=Decimal(2_499_999))
        (finding,) = _errors(intpart, app, "own-share")
        assert finding.message.endswith("is NOK 2 500 000")
        assert intpart.check(
            vary(requested_total=Decimal(9_999_997), own_share=Decimal(2_500_000))
        ).ok

    def test_share_just_short_not_shown_as_enough(self, intpart: callkit.Call) -> None:
        """19.99 % is shown as 19.9 %, not rounded up to the 20 % it falls short of."""
        app = vary(requested_total=Decimal(10_000_000), own_share=Decimal(2_499_000))
        (finding,) = _errors(intpart, app, "own-share")
        assert "is 19.9 % of" in finding.message

    def test_callers_decimal_context(self, intpart: callkit.Call) -> None:
        """A caller's low decimal precision does not make a failing total pass."""
        import decimal  # noqa: PLC0415

        app = vary(requested_per_year=Decimal(2_000_000), duration_years=Decimal("5.0000001"))
        with decimal.localcontext(decimal.Context(prec=6)):
            report = intpart.check(app)
        assert rule_findings(report, "budget-total")

    def test_tiny_excess_fails(self, intpart: callkit.Call) -> None:
        """A total a hair over the limit fails, at any number of decimals."""
        app = vary(requested_total=Decimal("10000000.000000000000000001"))
        assert rule_findings(intpart.check(app), "budget-total")


class TestFacultyNames:
    """Faculties are one faculty however their names are cased."""

    def test_counted_together(self, intpart: callkit.Call) -> None:
        """MN and mn are counted as one faculty, under the first spelling."""
        review = intpart.review([*_uib(2, faculty="MN"), *_uib(1, faculty="mn")])
        assert review.quotas[0].by_faculty == {"MN": 3}

    def test_ranks_compared_together(self, intpart: callkit.Call) -> None:
        """Rank 1 in MN and in mn is a duplicate rank."""
        apps = [vary(title="A", faculty="MN", rank=1), vary(title="B", faculty="mn", rank=1)]
        reports = intpart.review(apps).applications
        assert all(rule_findings(r, "quota") for r in reports)
        assert "faculty MN" in rule_findings(reports[1], "quota")[0].message
