# SPDX-License-Identifier: MIT
"""
Citation, and the bibliography every rule and care step cites.
"""

from __future__ import annotations

import attrs

from ._validators import instance_of, text

__all__ = ["Citation"]


def _optional_text(
    instance: object, attribute: attrs.Attribute[str | None], value: object
) -> None:
    if value is not None:
        text()(instance, attribute, value)


@attrs.frozen(kw_only=True)
class Citation:
    """
    A published source behind a rule or a piece of advice.

    Attributes:
        key: Short stable key, such as ``"nice-ng59"``.
        source: Organisation or authors, such as ``"NICE"``.
        title: Document title, with its number where it has one.
        year: Year of publication.
        locator: Section, table or recommendation, if narrower than the
            whole document.
        url: Where to read it, if public.
        note: Caveat on the evidence, such as "low-quality sources only".

    .. versionadded:: 0.1.0
    """

    key: str = attrs.field(validator=text())
    source: str = attrs.field(validator=text())
    title: str = attrs.field(validator=text())
    year: int = attrs.field(validator=instance_of(int, name="a year (int)"))
    locator: str | None = attrs.field(default=None, validator=_optional_text)
    url: str | None = attrs.field(default=None, validator=_optional_text)
    note: str | None = attrs.field(default=None, validator=_optional_text)

    def __str__(self) -> str:
        where = f", {self.locator}" if self.locator else ""
        return f"{self.source.rstrip('.')}. {self.title} ({self.year}){where}."


# ---------------------------------------------------------- bibliography ---
# Compiled in CLINICAL.md (research draft, not clinical sign-off).

ARTICLE = Citation(
    key="seed-article",
    source="Consumer article",
    title="What Exactly Is Back Spasms? How To Treat Back Spasms",
    year=2026,
    note="Consumer advice, not evidence-graded; reconciled with the "
    "guidelines where they differ.",
)
NICE_NG59 = Citation(
    key="nice-ng59",
    source="NICE",
    title="Low back pain and sciatica in over 16s: assessment and "
    "management (NG59)",
    year=2020,
    url="https://www.nice.org.uk/guidance/ng59",
)
NICE_CG88 = Citation(
    key="nice-cg88",
    source="NICE",
    title="Low back pain in adults: early management (CG88)",
    year=2009,
    note="Replaced by NG59.",
)
NHS_BACK_PAIN = Citation(
    key="nhs-back-pain",
    source="NHS",
    title="Back pain (NHS website)",
    year=2024,
    url="https://www.nhs.uk/conditions/back-pain/",
    note="Read in syndicated copies; wording may have changed.",
)
GIRFT_CES = Citation(
    key="girft-ces-2023",
    source="GIRFT (NHS England)",
    title="National suspected cauda equina syndrome pathway",
    year=2023,
)
BASS_CES = Citation(
    key="bass-ces-2018",
    source="British Association of Spine Surgeons",
    title="Standards of care for investigation and management of cauda "
    "equina syndrome (quoted in the Cornwall NHS pathway)",
    year=2018,
)
CHOU_ACP_2011 = Citation(
    key="chou-acp-2011",
    source="Chou R, Qaseem A, Owens DK, Shekelle P; American College of "
    "Physicians",
    title="Diagnostic imaging for low back pain: advice for high-value "
    "health care. Ann Intern Med 2011;154:181-189",
    year=2011,
)
QASEEM_ACP_2017 = Citation(
    key="qaseem-acp-2017",
    source="Qaseem A et al.; American College of Physicians",
    title="Noninvasive treatments for acute, subacute, and chronic low "
    "back pain. Ann Intern Med 2017;166:514-530",
    year=2017,
)
SEMIGRAN_2015 = Citation(
    key="semigran-2015",
    source="Semigran HL, Linder JA, Gidengil C, Mehrotra A",
    title="Evaluation of symptom checkers for self diagnosis and triage: "
    "audit study. BMJ 2015;351:h3480",
    year=2015,
)
HENSCHKE_2009 = Citation(
    key="henschke-2009",
    source="Henschke N et al.",
    title="Prevalence of and screening for serious spinal pathology in "
    "patients presenting to primary care with acute low back pain. "
    "Arthritis Rheum 2009;60:3072-3080",
    year=2009,
)
DOWNIE_2013 = Citation(
    key="downie-2013",
    source="Downie A et al.",
    title="Red flags to screen for malignancy and fracture in patients "
    "with low back pain: systematic review. BMJ 2013;347:f7095",
    year=2013,
)
NICE_NG234 = Citation(
    key="nice-ng234",
    source="NICE",
    title="Spinal metastases and metastatic spinal cord compression "
    "(NG234; replaces CG75)",
    year=2023,
    note="Timings carried over from CG75 and not re-checked against NG234.",
)
VERHAGEN_2016 = Citation(
    key="verhagen-2016",
    source="Verhagen AP et al.",
    title="Red flags presented in current low back pain guidelines: a "
    "review. Eur Spine J 2016;25:2788-2802",
    year=2016,
)
DEYO_1988 = Citation(
    key="deyo",
    source="Deyo RA, Diehl AK",
    title="Cancer as a cause of back pain (Rational Clinical Examination)",
    year=1988,
)
YUSUF_2019 = Citation(
    key="yusuf-2019",
    source="Yusuf M et al.",
    title="Spinal infection: review of cases. BMC Musculoskelet Disord 2019",
    year=2019,
)
EMERGENCY_MEDICINE = Citation(
    key="em-references",
    source="Emergency-medicine references",
    title="Abdominal aortic aneurysm and renal colic "
    "(AccessEmergencyMedicine; BMJ Best Practice)",
    year=2024,
    note="Secondary copies.",
)
NICE_NG65 = Citation(
    key="nice-ng65",
    source="NICE",
    title="Spondyloarthritis in over 16s: diagnosis and management (NG65)",
    year=2017,
    locator="Recommendations 1.1.1-1.1.3",
    url="https://www.nice.org.uk/guidance/ng65",
)
SIEPER_ASAS_2009 = Citation(
    key="sieper-asas-2009",
    source="Sieper J et al.; ASAS",
    title="New criteria for inflammatory back pain in patients with "
    "chronic back pain. Ann Rheum Dis 2009;68:784-788",
    year=2009,
)
ELECTROLYTES = Citation(
    key="electrolyte-physiology",
    source="General physiology references",
    title="Muscle cramps, tetany and electrolyte disturbance "
    "(low potassium, calcium or magnesium)",
    year=2024,
    note="Low-quality sources only; no low back pain guideline lists "
    "electrolytes as a risk factor. Routed to a blood test, not to "
    "supplements.",
)
DAHM_2010 = Citation(
    key="dahm-2010",
    source="Dahm KT et al.",
    title="Advice to rest in bed versus advice to stay active for acute "
    "low-back pain and sciatica. Cochrane Database Syst Rev CD007612",
    year=2010,
)
FRENCH_2006 = Citation(
    key="french-2006",
    source="French SD et al.",
    title="Superficial heat or cold for low back pain. Cochrane Database "
    "Syst Rev CD004750 (Spine 2006;31:998-1006)",
    year=2006,
)
VAN_DER_GAAG_2020 = Citation(
    key="van-der-gaag-2020",
    source="van der Gaag WH et al.",
    title="Non-steroidal anti-inflammatory drugs for acute low back pain. "
    "Cochrane Database Syst Rev CD013581",
    year=2020,
)
WILLIAMS_2014 = Citation(
    key="williams-pace-2014",
    source="Williams CM et al.",
    title="Efficacy of paracetamol for acute low-back pain (PACE). "
    "Lancet 2014",
    year=2014,
    note="Details not verified against the paper.",
)
STEFFENS_2015 = Citation(
    key="steffens-2015",
    source="Steffens D et al.",
    title="Triggers for an episode of sudden onset low back pain: "
    "case-crossover study. Arthritis Care Res 2015;67:403-410",
    year=2015,
)
HEAT_COLD_SAFETY = Citation(
    key="heat-cold-safety",
    source="Diabetes and occupational-therapy safety advice; device labels",
    title="Safe use of heat and cold packs",
    year=2024,
    note="No formal guideline found; encoded as hard cautions.",
)
