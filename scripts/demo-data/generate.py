#!/usr/bin/env python3
"""Writes the bulk of the demo data set (cases.csv, assets.csv, subjects.csv,
decisions.csv, transitions.csv, fx.csv) next to this file. Deterministic:
run it again and the files come out byte for byte the same. The files are
committed; the demo does not run this. Names of people and companies are
invented; the five story cases (ARC-2021-0001 .. ARC-2024-0005) and their
assets carry the public figures of SPEC.md."""
import csv, datetime, os, random

here = os.path.dirname(os.path.abspath(__file__))
rng = random.Random(20240917)
D = datetime.date.fromisoformat

def w(name, header, rows):
    with open(os.path.join(here, name), "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(header)
        out.writerows(rows)

# --- fx: KZT per unit, 1 January of each year, plus the receipt dates -------
yearly = {
    "USD": [384.20, 382.59, 420.91, 431.80, 462.65, 454.56, 523.54],
    "EUR": [439.37, 429.00, 516.79, 489.10, 492.86, 502.24, 546.74],
    "CHF": [390.50, 395.00, 476.40, 472.80, 500.30, 540.20, 577.60],
    "GBP": [488.10, 502.70, 574.20, 583.50, 558.90, 578.70, 656.40],
    "AED": [104.61, 104.17, 114.60, 117.57, 125.97, 123.77, 142.55],
    "TRY": [72.60, 64.30, 56.50, 32.40, 24.73, 15.38, 14.81],
}
src = "National Bank of Kazakhstan official rate (illustrative)"
fx = []
for ccy, rates in yearly.items():
    for i, r in enumerate(rates):
        fx.append([ccy, f"{2019 + i}-01-01", f"{r:.2f}", src])
# the dates money moved (scripts/demo-data.sh, hand computation in tests/cli/demo.sh)
fx += [["USD", "2023-06-15", "448.12", src], ["USD", "2024-03-20", "450.65", src],
       ["AED", "2023-11-10", "125.91", src], ["USD", "2024-06-10", "446.30", src]]
w("fx.csv", ["currency", "date", "rate", "source"], fx)

# --- story assets (their cases are added one by one by demo-data.sh) ---------
story_assets = [
    ["ARC-2021-0001", "AT-ACC-001", "bank_account", "Custody account at a Vienna private bank (proceeds of the state holding's bonds)", "AT", "80250000.00", "USD", "2021-06-01"],
    ["ARC-2021-0001", "AT-RE-002", "real_estate", "Flat, Innere Stadt, Vienna (1st district), 210 m2", "AT", "3400000.00", "EUR", "2021-06-01"],
    ["ARC-2021-0001", "CH-ACC-003", "bank_account", "Transit account at a Geneva bank", "CH", "1250000.00", "CHF", "2021-06-01"],
    ["ARC-2021-0002", "LI-ACC-001", "bank_account", "Trust account of Rheintal Family Trust, Vaduz", "LI", "180000000.00", "USD", "2021-10-05"],
    ["ARC-2021-0002", "LI-SEC-002", "securities", "Bond and equity portfolio held by the trust, Vaduz", "LI", "79120000.00", "CHF", "2021-10-05"],
    ["ARC-2022-0003", "AE-RE-001", "real_estate", "Apartment 4102, Dubai Marina tower", "AE", "18500000.00", "AED", "2022-07-19"],
    ["ARC-2022-0003", "AE-RE-002", "real_estate", "Apartment 3705, Dubai Marina tower", "AE", "17000000.00", "AED", "2022-07-19"],
    ["ARC-2022-0003", "AE-RE-003", "real_estate", "Villa, Palm Jumeirah frond K", "AE", "16500000.00", "AED", "2022-07-19"],
    ["ARC-2023-0004", "KZ-VR-001", "bank_account", "Payment under the voluntary return agreement, Special State Fund receipt account", "KZ", "12500000000.00", "KZT", "2023-09-01"],
    ["ARC-2024-0005", "KZ-RE-501", "real_estate", "Office building, Al-Farabi avenue, Almaty", "KZ", "2350000000.00", "KZT", "2024-11-01"],
    ["ARC-2024-0005", "KZ-VEH-502", "vehicle", "Toyota Land Cruiser 300, 2023", "KZ", "48500000.00", "KZT", "2024-11-01"],
    ["ARC-2024-0005", "AE-ACC-503", "bank_account", "Current account at a Dubai bank", "AE", "2750000.00", "AED", "2024-11-01"],
]

# --- bulk cases ---------------------------------------------------------------
# (holding country, its currency, title, route, offences)
bulk = [
    ("GB", "GBP", "London townhouses bought through shell companies", "criminal", "bribery;money_laundering"),
    ("CH", "CHF", "Geneva accounts of a former energy minister", "criminal", "embezzlement;money_laundering"),
    ("DE", "EUR", "Procurement kickbacks routed through a Frankfurt broker", "criminal", "bribery;concealment"),
    ("NL", "EUR", "Dutch holding companies of a railway contractor", "civil", "embezzlement"),
    ("CY", "EUR", "Cypriot nominee companies of a customs official", "criminal", "abuse_of_functions;money_laundering"),
    ("LV", "EUR", "Riga bank accounts used to layer grain export proceeds", "criminal", "money_laundering"),
    ("US", "USD", "Miami real estate and yacht of a former akim", "non_conviction", "illicit_enrichment;money_laundering"),
    ("TR", "TRY", "Istanbul residences bought with road-building funds", "criminal", "embezzlement;concealment"),
    ("FR", "EUR", "Villa on the Cote d'Azur of a ministry official", "non_conviction", "illicit_enrichment"),
    ("ES", "EUR", "Marbella apartments of a bank's former management", "criminal", "embezzlement;money_laundering"),
    ("LU", "EUR", "Luxembourg investment fund shares of a pension fund manager", "criminal", "abuse_of_functions;embezzlement"),
    ("SG", "USD", "Singapore accounts holding oil trading commissions", "criminal", "bribery;trading_in_influence"),
    ("AE", "AED", "Gold and cash deposited in Dubai by a tax official", "administrative", "illicit_enrichment"),
    ("KZ", "KZT", "Farmland and cars bought with agricultural subsidies", "criminal", "embezzlement"),
    ("KZ", "KZT", "Hospital equipment overpricing in Shymkent", "criminal", "bribery;abuse_of_functions"),
    ("GE", "USD", "Tbilisi hotel held for a former deputy governor", "civil", "money_laundering;concealment"),
    ("GB", "GBP", "Art collection and London flat of a bank shareholder", "criminal", "embezzlement;money_laundering"),
    ("CH", "CHF", "Zurich gold deposits of a mining licence broker", "criminal", "trading_in_influence;bribery"),
]
kinds = {
    "real_estate": ["Apartment, {city}", "House, {city} outskirts", "Commercial premises, {city}"],
    "bank_account": ["Current account at a {city} bank", "Deposit account at a {city} bank"],
    "securities": ["Government bond portfolio, {city} custodian", "Listed equities, {city} broker"],
    "company_shares": ["100% of the shares of a {city} holding company", "40% stake in a {city} logistics company"],
    "vehicle": ["Mercedes-Benz G 63, registered in {city}", "Porsche Cayenne, registered in {city}", "Motor yacht berthed near {city}"],
    "cash": ["Cash found in a safe deposit box, {city}"],
    "crypto": ["Bitcoin wallet (hardware key seized in {city})"],
    "precious_metals": ["Gold bars in a {city} vault"],
    "art": ["Oil painting, 19th century, stored in {city}"],
}
cities = {"GB": "London", "CH": "Geneva", "DE": "Frankfurt", "NL": "Amsterdam", "CY": "Limassol",
          "LV": "Riga", "US": "Miami", "TR": "Istanbul", "FR": "Nice", "ES": "Marbella",
          "LU": "Luxembourg", "SG": "Singapore", "AE": "Dubai", "KZ": "Almaty", "GE": "Tbilisi"}
scale = {"GBP": 1, "CHF": 1, "EUR": 1, "USD": 1, "TRY": 30, "AED": 4, "KZT": 450}
first = ["Arman", "Dana", "Yerlan", "Aigerim", "Nurlan", "Saule", "Timur", "Madina", "Askar", "Gulnara"]
last = ["K.", "S.", "B.", "T.", "Zh.", "M.", "O.", "R.", "N.", "A."]
roles = ["deputy minister", "regional official", "state company director", "tax official",
         "customs officer", "procurement head", "bank manager", "akim"]

cases, assets, subjects, decisions, transitions = [], [], [], [], []
stats = {"freeze2024": 0, "conf2024": 0}
LAST = D("2025-06-30")
for i, (cc, ccy, title, route, offences) in enumerate(bulk):
    opened = D("2019-02-01") + datetime.timedelta(days=int(i * 105 + rng.randint(0, 60)))
    ref = f"ARC-{opened.year}-{i + 6:04d}"
    juris = ["victim:KZ"] + ([f"holding:{cc}"] if cc != "KZ" else []) + (["transit:CY"] if i % 5 == 1 and cc != "CY" else [])
    cases.append([ref, title, route, offences, opened.isoformat(), ";".join(juris)])
    subjects.append([ref, f"{rng.choice(first)} {rng.choice(last)} (former {rng.choice(roles)})", "person", "defendant", "KZ"])
    subjects.append([ref, f"{cities[cc]} Nominee Holdings {chr(65 + i)} Ltd", "entity", "nominee" if i % 2 else "beneficial_owner", cc])
    n = 5 + (i % 3) + (1 if i in (0, 6, 13) else 0)
    refs = []
    for j in range(n):
        kind = list(kinds)[(i + j * 3) % len(kinds)]
        desc = rng.choice(kinds[kind]).format(city=cities[cc])
        a_cc = cc if j % 4 else ("KZ" if cc != "KZ" else "AE")
        a_ccy = {"KZ": "KZT", "AE": "AED"}.get(a_cc, ccy) if a_cc != cc else ccy
        amount = rng.randint(20, 900) * 10000 * scale[a_ccy]
        vdate = opened + datetime.timedelta(days=10)
        ext = f"{ref}-A{j + 1:02d}"
        assets.append([ref, ext, kind, desc + f" ({ext})", a_cc, f"{amount}.00", a_ccy, vdate.isoformat()])
        refs.append((ext, kind))
    # freeze all but the first asset
    fdate = opened + datetime.timedelta(days=30 + rng.randint(0, 60))
    fref = f"{cc}-FRZ-{fdate.year}/{100 + i * 7}"
    decisions.append([ref, "freeze", fref, f"Court of {cities[cc]}" if cc != "KZ" else "Investigating judge of Almaty", fdate.isoformat(), ""])
    if fdate.year == 2024: stats["freeze2024"] += 1
    frozen = [e for e, _ in refs[1:]]
    for e in frozen:
        transitions.append([e, "frozen", fref, fdate.isoformat(), "", ""])
    if i % 3 != 2:
        cdate = fdate + datetime.timedelta(days=300 + rng.randint(0, 400))
        final = cdate + datetime.timedelta(days=45)
        if final > LAST:
            continue
        cref = f"KZ-CONF-{cdate.year}/{300 + i * 11}"
        decisions.append([ref, "confiscation", cref, "Specialised inter-district criminal court", cdate.isoformat(), final.isoformat()])
        if cdate.year == 2024: stats["conf2024"] += 1
        keep = frozen[:-1] if i % 4 == 0 else frozen
        for e in keep:
            transitions.append([e, "confiscated", cref, final.isoformat(), "", ""])
        if i % 4 == 0:
            rref = f"KZ-REL-{final.year}/{500 + i}"
            decisions.append([ref, "release", rref, "Specialised inter-district criminal court", final.isoformat(), ""])
            transitions.append([frozen[-1], "released", rref, final.isoformat(), "", ""])
        if i % 2 == 0:
            tref = f"KZ-GOV-INKIND-{final.year}/{700 + i}"
            decisions.append([ref, "allocation", tref, "Government of Kazakhstan", (final + datetime.timedelta(days=20)).isoformat(), ""])
            transitions.append([keep[0], "transferred_in_kind", tref, (final + datetime.timedelta(days=20)).isoformat(), "", ""])

w("cases.csv", ["ref", "title", "route", "offences", "opened", "jurisdictions"], cases)
w("assets.csv", ["case_ref", "external_ref", "kind", "description", "country", "value", "currency", "valued_on"],
  story_assets + assets)
w("subjects.csv", ["case_ref", "name", "kind", "role", "country"], subjects)
w("decisions.csv", ["case_ref", "kind", "ref", "issuer", "date", "final"], decisions)
w("transitions.csv", ["external_ref", "state", "decision_ref", "date", "amount", "currency"], transitions)
print(f"{len(cases)} bulk cases, {len(story_assets) + len(assets)} assets, {len(decisions)} decisions, "
      f"{len(transitions)} transitions; bulk freezes in 2024: {stats['freeze2024']}, confiscations in 2024: {stats['conf2024']}")
