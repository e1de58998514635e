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


@attrs.frozen(kw_only=True, cache_hash=True)  # plans' cache keys hold them
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

# --- Rule set 0.2.0: abdominal mimics, pregnancy, infection without fever,
# aneurysm without a mass (CLINICAL.md section 7). Read in the stored copies
# named in each note; wording paraphrased.
NICE_NG156 = Citation(
    key="nice-ng156",
    source="NICE",
    title="Abdominal aortic aneurysm: diagnosis and management (NG156)",
    year=2020,
    locator="Section 1.1: risk factors (1.1.2-1.1.3) and suspected "
    "rupture (think of it in new abdominal and/or back pain)",
    url="https://www.nice.org.uk/guidance/ng156",
    note="Risk factors: COPD, coronary, cerebrovascular or peripheral "
    "arterial disease, family history, hyperlipidaemia, hypertension, "
    "smoking now or in the past; men 66 or over, women 70 or over.",
)
RCEM_AAA = Citation(
    key="rcem-aaa",
    source="Royal College of Emergency Medicine (RCEMLearning)",
    title="Ultrasound: abdominal aortic aneurysm assessment, pitfalls",
    year=2024,
    note="Be wary of diagnosing renal colic or musculoskeletal back pain "
    "over 60 without first excluding an aneurysm. Secondary teaching "
    "source.",
)
NHS_GALLSTONES = Citation(
    key="nhs-gallstones",
    source="NHS",
    title="Gallstones (NHS website)",
    year=2024,
    url="https://www.nhs.uk/conditions/gallstones/",
    note="999 or A&E for sudden severe tummy pain, pain spreading from the "
    "tummy to the back with vomiting, a very high temperature or "
    "shivering, or yellow skin or eyes; urgent GP or 111 for tummy pain "
    "lasting over 30 minutes. Read in syndicated copies.",
)
NHS_PANCREATITIS = Citation(
    key="nhs-acute-pancreatitis",
    source="NHS",
    title="Acute pancreatitis (NHS website; NHS inform; nidirect)",
    year=2024,
    url="https://www.nhs.uk/conditions/acute-pancreatitis/",
    note="Sudden severe pain in the top or centre of the tummy that can "
    "travel along the back, with vomiting, fever or jaundice; contact a "
    "GP immediately, 999 if that is not possible. Read in syndicated "
    "copies.",
)
NHS_KIDNEY_INFECTION = Citation(
    key="nhs-kidney-infection",
    source="NHS",
    title="Kidney infection (NHS website)",
    year=2024,
    url="https://www.nhs.uk/conditions/kidney-infection/",
    note="Urgent GP or 111 with pain in the back under the ribs, blood in "
    "the urine, being sick, not having passed urine all day, or in "
    "pregnancy; 999 if confused or drowsy.",
)
NHS_AKI = Citation(
    key="nhs-acute-kidney-injury",
    source="NHS trusts' patient information",
    title="Acute kidney injury (AKI): passing less urine than usual",
    year=2024,
    note="Patient leaflets (North Tees and Hartlepool; University "
    "Hospitals Sussex); passing less urine is the common first symptom.",
)
NHS_MATERNITY = Citation(
    key="nhs-maternity-warning-signs",
    source="NHS maternity services; Tommy's",
    title="When to call your maternity unit or midwife",
    year=2022,
    note="University Hospitals Birmingham (from Tommy's 'Call the "
    "midwife'), reviewed 2022; Shropshire, Telford and Wrekin 'Bleeding "
    "in pregnancy'. Call the maternity unit now for bleeding, fluid "
    "leaking, regular painful contractions, reduced baby movements or a "
    "high temperature; 999 for heavy bleeding or constant tummy pain. "
    "Placental abruption usually causes constant stomach pain, even "
    "without bleeding.",
)
NICE_NG25 = Citation(
    key="nice-ng25",
    source="NICE",
    title="Preterm labour and birth (NG25)",
    year=2022,
    url="https://www.nice.org.uk/guidance/ng25",
    note="Pointer from CLINICAL.md section 7; recommendations not "
    "re-read here. Preterm labour can present as low backache, "
    "tightenings or fluid loss.",
)
MHRA_NSAIDS_PREGNANCY = Citation(
    key="mhra-nsaids-pregnancy-2023",
    source="MHRA",
    title="Drug Safety Update: NSAIDs: potential risks following "
    "prolonged use after 20 weeks of pregnancy",
    year=2023,
    url="https://www.gov.uk/drug-safety-update/non-steroidal-anti-"
    "inflammatory-drugs-nsaids-potential-risks-following-prolonged-use-"
    "after-20-weeks-of-pregnancy",
    note="Systemic NSAIDs are contraindicated after 28 weeks; avoid from "
    "20 weeks unless a clinician advises; pregnant people should avoid "
    "NSAIDs bought without prescription.",
)
NHS_IBUPROFEN_PREGNANCY = Citation(
    key="nhs-ibuprofen-pregnancy",
    source="NHS",
    title="Can I take ibuprofen when I'm pregnant? (NHS website)",
    year=2024,
    note="Avoid ibuprofen in pregnancy unless a doctor advises it; "
    "paracetamol is usually the preferred choice; ask a midwife, GP or "
    "pharmacist before any medicine.",
)
NICE_CKS_BACK_PAIN = Citation(
    key="nice-cks-back-pain",
    source="NICE Clinical Knowledge Summaries",
    title="Back pain - low (without radiculopathy): red flags",
    year=2024,
    note="Read in NHS pathway copies (NHS Gloucestershire G-care): "
    "infection is suggested by fever, chills or rigors, "
    "immunosuppression, intravenous drug misuse, recent bacterial "
    "infection or a penetrating wound.",
)
SEA_REVIEWS = Citation(
    key="spinal-epidural-abscess-reviews",
    source="Emergency-medicine and infectious-disease references",
    title="Spinal epidural abscess: clinical presentation (Medscape "
    "eMedicine; AccessMedicine; VisualDx)",
    year=2024,
    note="The triad of fever, spinal pain and neurological deficit is "
    "found in only 10-37%; fever in about a third to a half; injection "
    "drug use, immunosuppression, recent spinal procedures and "
    "bacteraemia are the main risks. Secondary copies.",
)
PREGNANCY_HEAT_SAFETY = Citation(
    key="pregnancy-heat-safety",
    source="GP-reviewed pregnancy advice (Mother&Baby; MadeForMums)",
    title="Using a hot water bottle or heat pad in pregnancy",
    year=2024,
    note="Low-quality sources only; no guideline found. Warm (not hot) "
    "heat on the back is considered safe; keep it off the bump; avoid "
    "raising core temperature (hot tubs, saunas, very hot baths), "
    "especially in the first 12 weeks.",
)
HILL_2008 = Citation(
    key="hill-2008",
    source="Hill JC et al.; Keele University",
    title="A primary care back pain screening tool: identifying patient "
    "subgroups for initial treatment (STarT Back). Arthritis Rheum "
    "2008;59:632-641",
    year=2008,
    note="Scoring as in Keele's online calculator and LOINC 91349-1; "
    "Keele reserves commercial use of the tool.",
)
