#!/usr/bin/env python3
"""Build the editor-owned CSV files in data/ from the research desk's files.

Reads  ../shared/research/{claims,events,places}.csv  (relative to the repository root)
and    ../shared/geo-sources/settlements.geojson       (GeoNames coordinates)
Writes data/claimants.csv, data/claims.csv, data/events.csv, data/places.csv

Everything that is not in the research files (claimant ids, the mapping of research
`subject` + `unit` to `measure` / `bound` / `scope` / `cumulative`, French
translations, place ids) is written out in the tables below, so the derivation can
be reviewed line by line.

After the first run the CSV files belong to the editors, who edit them by hand.
The script therefore refuses to overwrite existing files unless --force is given.

    python scripts/build_data.py            # write missing files only
    python scripts/build_data.py --force    # rebuild all four files (discards hand edits)
    python scripts/build_data.py --check    # build in memory and compare with data/

Standard library only.
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = ROOT.parent / "shared"
DATA = ROOT / "data"
SEED = "seed:000_a038026e3294ffc2.txt"

# --------------------------------------------------------------------------------------
# Claimants: one per distinct body or person in the research (RESEARCH.md section 3).
# id: (name_fr, name_en, side, kind, description_fr, description_en)
# --------------------------------------------------------------------------------------
CLAIMANTS = {
    "ua_zelensky": (
        "Volodymyr Zelensky, président de l'Ukraine",
        "Volodymyr Zelensky, President of Ukraine",
        "UA", "head_of_state",
        ("Chef d'État d'un belligérant. Chiffres issus de « données préliminaires » et de comptes rendus de l'état-major, "
        "donnés sur X, dans ses allocutions du soir, en entretien et à Davos. Toujours les chiffres les plus élevés ; "
        "la formulation varie entre « tués », « tués ou blessés » et « perdus »."),
        ("Head of state of a belligerent. Figures from 'preliminary data' and General Staff briefings, given on X, "
        "in nightly addresses, interviews and at Davos. Consistently the highest numbers; wording shifts between "
        "'killed', 'killed or wounded' and 'lost'."),
    ),
    "ua_syrskyi": (
        "Oleksandr Syrsky, commandant en chef des forces armées ukrainiennes",
        "Oleksandr Syrskyi, Commander-in-Chief of Ukraine's Armed Forces",
        "UA", "military",
        ("Commandement militaire d'un belligérant. Fait autorité pour le territoire que l'Ukraine dit tenir ; "
        "ses chiffres de pertes ennemies sont des affirmations de belligérant."),
        ("Belligerent military command. Authoritative for the territory Ukraine claims to hold; its enemy-loss "
        "figures are belligerent claims."),
    ),
    "ua_general_staff": (
        "État-major général des forces armées ukrainiennes",
        "General Staff of the Armed Forces of Ukraine",
        "UA", "military",
        ("Commandement militaire d'un belligérant, y compris une source haut placée de l'état-major s'exprimant "
        "anonymement auprès de Reuters. Ses chiffres de pertes ennemies sont des affirmations de belligérant."),
        ("Belligerent military command, including a senior General Staff source speaking anonymously to Reuters. "
        "Its enemy-loss figures are belligerent claims."),
    ),
    "ua_hur": (
        "Renseignement militaire ukrainien (HUR)",
        "Ukraine's Defence Intelligence (HUR)",
        "UA", "intelligence",
        ("Renseignement militaire d'un belligérant, dirigé par Boudanov. Source des premiers chiffres de déploiement "
        "(11 000 à 12 000 soldats, 500 officiers, 3 généraux) et des 30 pertes d'un week-end de décembre 2024. "
        "L'article source l'appelle « Kiev »."),
        ("Belligerent military intelligence, headed by Budanov. Source of the early deployment figures "
        "(11,000-12,000 troops, 500 officers, 3 generals) and of the 30-casualty weekend report of December 2024. "
        "The seed article calls it 'Kiev'."),
    ),
    "ua_sof": (
        "Forces d'opérations spéciales ukrainiennes (SOF)",
        "Ukraine's Special Operations Forces (SOF)",
        "UA", "military",
        ("Porte-parole d'unité (colonel Oleksandr Kindratenko) ; ses déclarations se limitent explicitement aux "
        "secteurs du front tenus par les SOF."),
        ("Unit spokesman (Col. Oleksandr Kindratenko); his statements are explicitly limited to the SOF's own "
        "sectors of the front."),
    ),
    "ua_officials": (
        "Responsables ukrainiens (non nommés)",
        "Ukrainian officials (unnamed)",
        "UA", "anonymous_officials",
        "Responsables ukrainiens cités sans nom ni date précise de déclaration.",
        "Ukrainian officials quoted without a name or an exact date of statement.",
    ),
    "ua_getmanchuk": (
        "Alyona Getmanchuk, déléguée en chef de l'Ukraine en Corée",
        "Alyona Getmanchuk, Ukraine's chief delegate to Korea",
        "UA", "diplomat",
        "Diplomate ukrainienne, citée par KBS News en février 2025.",
        "Ukrainian diplomat, quoted by KBS News in February 2025.",
    ),
    "ru_kremlin": (
        "Kremlin (porte-parole Peskov)",
        "Kremlin (spokesman Peskov)",
        "RU", "government",
        ("Présidence russe, belligérant. A démenti (« fausse information », octobre 2024) puis éludé la question "
        "de la présence nord-coréenne."),
        ("Russian presidency, belligerent. Denied ('fake news', October 2024), then deflected questions about the "
        "North Korean presence."),
    ),
    "ru_putin": (
        "Vladimir Poutine, président de la Russie",
        "Vladimir Putin, President of Russia",
        "RU", "head_of_state",
        "Chef d'État d'un belligérant. A remercié Kim Jong Un pour la participation nord-coréenne le 2025-04-28.",
        "Head of state of a belligerent. Thanked Kim Jong Un for the North Korean participation on 2025-04-28.",
    ),
    "ru_mod": (
        "Ministère russe de la Défense",
        "Russian Ministry of Defence",
        "RU", "military",
        ("Ministère de la Défense d'un belligérant ; communiqués sur les combats et les localités reprises. "
        "N'a jamais publié de chiffre de pertes nord-coréennes."),
        ("Defence ministry of a belligerent; battlefield reports and retaken settlements. Never published a North "
        "Korean casualty figure."),
    ),
    "ru_gerasimov": (
        "Valeri Guerassimov, chef d'état-major général russe",
        "Valery Gerasimov, Chief of the Russian General Staff",
        "RU", "military",
        ("Commandement militaire d'un belligérant. A revendiqué la reprise de la région de Koursk et reconnu "
        "le rôle nord-coréen le 2025-04-26, sans chiffre de pertes nord-coréennes."),
        ("Belligerent military command. Claimed the recapture of Kursk region and acknowledged the North Korean "
        "role on 2025-04-26, without North Korean casualty figures."),
    ),
    "ru_kursk_governor": (
        "Alexeï Smirnov, gouverneur par intérim de la région de Koursk",
        "Alexei Smirnov, acting governor of Kursk region",
        "RU", "regional_authority",
        "Autorité régionale russe ; a rendu compte à Poutine de la situation dans la région en août 2024.",
        "Russian regional authority; reported to Putin on the situation in the region in August 2024.",
    ),
    "kp_foreign_ministry": (
        "Ministère nord-coréen des Affaires étrangères (vice-ministre Kim Jong Gyu)",
        "North Korean Foreign Ministry (Vice Foreign Minister Kim Jong Gyu)",
        "KP", "diplomat",
        "Belligérant ; déclaration diffusée par la KCNA. N'a ni confirmé ni démenti le déploiement en octobre 2024.",
        "Belligerent; statement carried by KCNA. Neither confirmed nor denied the deployment in October 2024.",
    ),
    "kp_kcna": (
        "KCNA, agence de presse officielle nord-coréenne",
        "KCNA, North Korea's state news agency",
        "KP", "state_media",
        ("Média d'État d'un belligérant. A publié la confirmation officielle du 2025-04-28 (Commission militaire "
        "centrale du Parti du travail). N'a jamais donné de chiffre de pertes."),
        ("State media of a belligerent. Published the official confirmation of 2025-04-28 (WPK Central Military "
        "Commission). Never gave a casualty number."),
    ),
    "kr_nis": (
        "Service national de renseignement sud-coréen (NIS)",
        "South Korea's National Intelligence Service (NIS)",
        "KR", "intelligence",
        ("Chiffres surtout donnés à huis clos à la commission du renseignement de l'Assemblée nationale et relayés par "
        "des députés (surtout Lee Seong-kweun), parfois par communiqué à l'AFP ou à Yonhap. A qualifié son "
        "estimation de décembre de prudente ; s'appuie en partie sur des renseignements alliés."),
        ("Figures mostly given in closed-door briefings to the National Assembly intelligence committee and relayed "
        "by lawmakers (mostly Lee Seong-kweun), sometimes in statements to AFP or Yonhap. Called its December "
        "estimate conservative; relies partly on allied intelligence."),
    ),
    "kr_jcs": (
        "État-major interarmées sud-coréen (JCS)",
        "South Korea's Joint Chiefs of Staff (JCS)",
        "KR", "military",
        ("Quartier général militaire, déclarations publiques. Distinct du NIS : le « Séoul … 1100 » de l'article "
        "source est un chiffre du JCS."),
        ("Military headquarters, public statements. Separate from the NIS: the seed article's 'Séoul … 1100' is a "
        "JCS figure."),
    ),
    "us_blinken": (
        "Antony Blinken, secrétaire d'État américain",
        "Antony Blinken, US Secretary of State",
        "US", "diplomat",
        "Soutien non belligérant de l'Ukraine ; déclarations publiques en conférence de presse.",
        "Non-belligerent backer of Ukraine; on-record statements at press conferences.",
    ),
    "us_state": (
        "Département d'État américain",
        "US State Department",
        "US", "government",
        "Soutien non belligérant de l'Ukraine ; déclarations du porte-parole (Matthew Miller).",
        "Non-belligerent backer of Ukraine; statements by its spokesman (Matthew Miller).",
    ),
    "us_dod": (
        "Département américain de la Défense (Pentagone)",
        "US Department of Defense (Pentagon)",
        "US", "military",
        ("Soutien non belligérant de l'Ukraine ; points de presse (Pat Ryder, Sabrina Singh). Souvent qualitatif "
        "(« plusieurs centaines »)."),
        ("Non-belligerent backer of Ukraine; press briefings (Pat Ryder, Sabrina Singh). Often qualitative "
        "('several hundred')."),
    ),
    "us_white_house": (
        "Maison Blanche (porte-parole du Conseil de sécurité nationale John Kirby)",
        "White House (NSC spokesman John Kirby)",
        "US", "government",
        ("Soutien non belligérant de l'Ukraine. Son chiffre de « plus de 1000 » porte sur une semaine environ, "
        "pas sur un total."),
        "Non-belligerent backer of Ukraine. Its '>1,000' figure covers about one week, not a total.",
    ),
    "us_officials": (
        "Responsables américains (anonymes)",
        "US officials (anonymous)",
        "US", "anonymous_officials",
        "Responsables américains s'exprimant sous couvert d'anonymat ; attribution invérifiable.",
        "US officials speaking on condition of anonymity; unverifiable attribution.",
    ),
    "uk_mod": (
        "Ministère britannique de la Défense (renseignement de défense)",
        "UK Ministry of Defence (Defence Intelligence)",
        "UK", "intelligence",
        ("Évaluations publiques du renseignement d'un gouvernement non belligérant, publiées sur X avec un "
        "vocabulaire de probabilité (« très probablement »)."),
        ("Public intelligence updates of a non-belligerent government, posted on X with probability language "
        "('highly likely')."),
    ),
    "western_officials_bbc": (
        "Responsables occidentaux (anonymes, cités par la BBC)",
        "Western officials (anonymous, via the BBC)",
        "other", "anonymous_officials",
        ("Responsables anonymes ayant parlé à Frank Gardner, correspondant sécurité de la BBC. Attribution "
        "invérifiable ; comptent disparus et capturés dans les « pertes »."),
        ("Anonymous officials speaking to BBC security correspondent Frank Gardner. Unverifiable attribution; "
        "include missing and captured in 'casualties'."),
    ),
    "deepstate": (
        "DeepState",
        "DeepState",
        "other", "osint",
        ("Projet ukrainien de cartographie en sources ouvertes, lié à l'armée ukrainienne. Meilleurs chiffres "
        "de superficie évalués disponibles ; pas une source officielle."),
        ("Ukrainian open-source mapping project with ties to the Ukrainian military. Best available assessed "
        "area figures; not an official source."),
    ),
    "isw": (
        "ISW (Institute for the Study of War)",
        "ISW (Institute for the Study of War)",
        "other", "think_tank",
        ("Centre de réflexion américain ; son taux de 92 pertes par jour est dérivé de chiffres ukrainiens et "
        "sud-coréens."),
        "US think tank; its rate of 92 casualties per day is derived from Ukrainian and South Korean figures.",
    ),
    "reuters": (
        "Reuters",
        "Reuters",
        "other", "media",
        "Agence de presse ; ici son estimation de superficie d'après les cartes des deux camps.",
        "News agency; here its area estimate based on both sides' maps.",
    ),
    "euromaidan_press": (
        "Euromaidan Press",
        "Euromaidan Press",
        "other", "media",
        "Média ukrainien en ligne ; ici une affirmation du média lui-même, sans source citée.",
        "Ukrainian online outlet; here the outlet's own assertion, with no source given.",
    ),
    "afp_ats": (
        "ATS/AFP (description journalistique)",
        "ATS/AFP (journalistic description)",
        "other", "media",
        ("Les formulations propres des journalistes dans l'article source (ATS/AFP, 2025-02-04) ; ce n'est pas "
        "une affirmation attribuée à un tiers."),
        "The reporters' own framing in the seed article (ATS/AFP, 2025-02-04); not an attributed claim.",
    ),
}

# --------------------------------------------------------------------------------------
# Claims: research row -> contract row.
# claimant, measure, bound, scope, cumulative (yes/no), via, quote_lang,
# en = text appended to the research notes (our mapping remarks), fr = full French note.
# Values come from the research row; `bound` decides which of them are kept
# (at_least: low only; at_most: high only; none: neither). `lo`/`hi` override only
# where stated in `en`.
# --------------------------------------------------------------------------------------
C = {}


def claim(cid, claimant, measure, bound, scope, cum, via="", lang="en", en="", fr="", lo=None, hi=None):
    C[cid] = {"claimant": claimant, "measure": measure, "bound": bound, "scope": scope, "cum": cum, "via": via,
                  "lang": lang, "en": en, "fr": fr, "lo": lo, "hi": hi}


claim("C001", "afp_ats", "statement", "none", "unspecified", "no", lang="fr",
      en="Date = the signing of the treaty (the fact the article describes); the article itself is dated 2025-02-04.",
      fr="Traité de partenariat stratégique global signé à Pyongyang le 2024-06-19, en vigueur depuis le 2024-12-04. "
         "https://www.tag24.com/world/russia/russia-and-north-korea-sign-major-new-deal-as-putin-and-kim-exchange-gushing-praise-3221890 ; "
         "https://interfax.com/newsroom/top-stories/108291/ "
         "Date = signature du traité (le fait que décrit l'article) ; l'article lui-même date du 2025-02-04.")
claim("C002", "ua_syrskyi", "area_held_km2", "approx", "kursk", "yes", via="video briefing to President Zelensky",
      fr="Premier chiffre officiel ukrainien. Voir aussi https://trt.global/world/article/18195076 ; "
         "https://menafn.com/1108546804/Commander-In-Chief-Ukraines-Army-Gains-Control-Of-Nearly-1000Km-Of-Russian-Territory")
claim("C003", "ru_kursk_governor", "settlements_held", "exact", "kursk", "yes", via="report to President Putin",
      fr="Chiffre présenté à Poutine. Voir aussi https://bobnews24.com/?p=18518")
claim("C004", "ua_syrskyi", "area_held_km2", "exact", "kursk", "yes",
      fr="Même compte rendu : Soudja sécurisée ; création d'un bureau du commandant militaire. Voir aussi "
         "https://rferl.org/amp/russia-ukraine-kursk-evacuations-humanitarian/33079550.html ; "
         "https://uawire.org/ukraine-establishes-first-military-commandant-s-office-in-kursk-region")
claim("C005", "ua_syrskyi", "settlements_held", "exact", "kursk", "yes",
      en="(Previous row = C004, same statement.)",
      fr="Voir la ligne précédente. (Ligne précédente = C004, même déclaration.)")
claim("C006", "ua_syrskyi", "area_held_km2", "exact", "kursk", "yes",
      via="video address to the Congress of Local and Regional Authorities",
      fr="Allocution vidéo au Congrès des pouvoirs locaux et régionaux.")
claim("C007", "ua_syrskyi", "settlements_held", "exact", "kursk", "yes",
      via="video address to the Congress of Local and Regional Authorities",
      en="Same statement as C006.",
      fr="Même déclaration que C006.")
claim("C008", "ua_syrskyi", "area_held_km2", "exact", "kursk", "yes", via="forum 'Ukraine 2024. Independence'",
      fr="Forum « Ukraine 2024. Indépendance » ; également 594 prisonniers de guerre russes. Voir aussi "
         "https://dagens.com/news/commander-in-chief-100-settlements-under-control-600-russian-soldiers-taken-prisoner ; "
         "https://www.theworldmonitor.com/?p=51634")
claim("C009", "ua_syrskyi", "settlements_held", "exact", "kursk", "yes", via="forum 'Ukraine 2024. Independence'",
      en="Same statement as C008.",
      fr="Même déclaration que C008.")
claim("C010", "ru_kremlin", "statement", "none", "unspecified", "no", via="spokesman Peskov",
      en="A denial: measure statement, no figure.",
      fr="Réaction aux propos du ministre sud-coréen de la Défense ; le 2024-10-21, Peskov a qualifié les "
         "informations de « contradictoires » : "
         "https://www.uawire.org:443/kremlin-dismisses-reports-of-north-korean-troops-in-russia-as-contradictory ; "
         "https://www.brecorder.com/news/40326445/kremlin-dismisses-reports-of-north-korean-soldiers-fighting-in-ukraine "
         "Un démenti : mesure « statement », sans chiffre.")
claim("C011", "kr_nis", "troops_deployed", "approx", "russia", "yes", via="NIS statement",
      en="A decision to send about 12,000 ('some 12-thousand'), not yet a count of troops in place.",
      fr="Voir aussi https://www.nation.com.pk/19-Oct-2024/n-korea-sending-12-000-soldiers-for-russia-s-war-in-ukraine "
         "(AFP/Yonhap : « quatre brigades de 12 000 soldats »). La DW a rapporté « environ 11 000 » : "
         "https://www.dw.com/en/ukraine-updates-dozens-freed-in-prisoner-swap-with-russia/live-70537905?maca=en-rss-en-all-1573-xml-atom "
         "Une décision d'envoyer environ 12 000 hommes (« quelque 12 000 »), pas encore un décompte des troupes sur place.")
claim("C012", "kr_nis", "troops_deployed", "approx", "russia", "yes", via="NIS statement",
      en="First contingent only (special forces).",
      fr="Transportés du 8 au 13 octobre 2024 vers Vladivostok. Voir aussi "
         "https://anews.com.tr/asia/2024/10/18/n-korea-sent-first-contingent-of-1500-soldiers-to-russia-seoul-spy-agency ; "
         "https://www.devdiscourse.com/article/politics/3126620-north-korea-sends-troops-to-support-russia-in-ukraine-conflict "
         "Premier contingent seulement (forces spéciales).")
claim("C013", "ua_hur", "troops_deployed", "approx", "russia", "yes", via="HUR chief Budanov, interview with The War Zone",
      en="Troops being trained in eastern Russia, not yet at the front.",
      fr="Les 2600 premiers doivent aller à Koursk ; prêts d'ici le 1er novembre. Voir aussi "
         "https://babel.ua/en/news/111803-budanov-about-11-000-north-korean-soldiers-are-being-trained-in-the-russian-federation-for-war-against-ukraine "
         "Troupes en cours d'entraînement dans l'est de la Russie, pas encore au front.")
claim("C014", "ua_hur", "generals", "exact", "russia", "yes", lang="fr", via="reported as 'Kiev' in the seed article",
      en="(The HUR 2024-10-24 pages are listed under C016.) Scope russia: HUR gave the figure for the troops in Russia; "
         "the seed attaches it to troops 'engaged' in the Kursk region.",
      fr="Voir les pages du HUR du 2024-10-24 citées plus haut. Les noms de généraux n'apparaissent que dans un texte "
         "non vérifié d'un centre de réflexion japonais (voir RESEARCH.md). (Les pages du HUR du 2024-10-24 sont "
         "listées sous C016.) Portée « russia » : le HUR a donné ce chiffre pour les troupes en Russie ; l'article "
         "source le rattache à des troupes « engagées » dans la région de Koursk.")
claim("C015", "ua_hur", "officers", "approx", "russia", "yes", lang="fr", via="reported as 'Kiev' in the seed article",
      en="(The HUR 2024-10-24 pages are listed under C016.) Bound approx: 'environ 500'. Scope russia: HUR gave the "
         "figure for the troops in Russia; the seed attaches it to troops 'engaged' in the Kursk region.",
      fr="Voir les pages du HUR du 2024-10-24 citées plus haut ; Boudanov a aussi cité « au moins 500 officiers et "
         "trois généraux » (The Economist via uawire) : "
         "http://uawire.azurewebsites.net/ukraine-s-intelligence-chief-north-korean-troops-heading-to-russia-s-kursk-region "
         "(Les pages du HUR du 2024-10-24 sont listées sous C016.) Borne « approx » : « environ 500 ». Portée "
         "« russia » : le HUR a donné ce chiffre pour les troupes en Russie ; l'article source le rattache à des "
         "troupes « engagées » dans la région de Koursk.")
claim("C016", "ua_hur", "troops_deployed", "approx", "russia", "yes", lang="fr", via="reported as 'Kiev' in the seed article",
      en="Scope russia (HUR's wording), not kursk (the seed's). Bound approx: HUR spoke of about 12,000 (events.csv E010).",
      fr="L'article source ne donne pas de date (« Selon Kiev »). Première déclaration correspondante trouvée : le HUR "
         "le 2024-10-24 (12 000 en Russie, dont 500 officiers et 3 généraux, à l'entraînement sur cinq bases) : "
         "https://24ukraine.com/ukr_2904/north-korea-says-any-troop-deployment-to-russia-is-in-regulations-of-international-law ; "
         "https://kyivindependent.com/north-korea-says-any-troop-deployment-to-russia-is-in-regulations-of-international-law/ ; "
         "https://vipflash.de/contents/195419.amp?locale=en&p=2 . Le HUR a dit « en Russie » ; l'article dit "
         "« engagés dans cette région » (Koursk). Portée « russia » (formulation du HUR), pas « kursk » (celle de "
         "l'article). Borne « approx » : le HUR a parlé d'environ 12 000 (events.csv E010).")
claim("C017", "kp_foreign_ministry", "statement", "none", "russia", "no", via="statement carried by KCNA",
      en="A non-denial: measure statement, no figure.",
      fr="Voir aussi https://tass.com/world/1862437 ; "
         "https://anews.com.tr/world/2024/10/25/north-korea-soldiers-dispatch-to-russia-would-comply-with-international-law "
         "Un non-démenti : mesure « statement », sans chiffre.")
claim("C018", "kr_nis", "troops_deployed", "at_most", "russia", "yes", lang="fr", via="parliamentary audit",
      en="'Up to' 10,900 by the end of the year (a projection): bound at_most, no lower value.",
      fr="Date déduite de la page (« mardi », lendemain de la déclaration américaine du « lundi » 2024-10-28 sur "
         "10 000 soldats) ; même séance : 3000 à l'entraînement à Koursk « plausible », des généraux peut-être au "
         "front. « Jusqu'à » 10 900 d'ici la fin de l'année (une projection) : borne « at_most », sans valeur basse.")
claim("C019", "us_blinken", "troops_deployed", "at_most", "kursk", "yes", via="press conference after US-South Korea 2+2 talks",
      en="'Up to 8,000': bound at_most, no lower value.",
      fr="10 000 en Russie au total ; pas encore au combat. Voir aussi "
         "http://world.kbs.co.kr/service/news_view.htm?lang=e&Seq_Code=188826 "
         "« Jusqu'à 8000 » : borne « at_most », sans valeur basse.")
claim("C020", "us_state", "troops_deployed", "at_most", "kursk", "yes", via="spokesman Matthew Miller",
      en="'As many as 10,000': bound at_most, no lower value.",
      fr="Le même jour, le Pentagone (Ryder) : environ 10 000 à Koursk, 11 000 à 12 000 en Russie au total : "
         "https://fnnewsglobal.com/world/article/445676 "
         "« Jusqu'à 10 000 » : borne « at_most », sans valeur basse.")
claim("C021", "ua_zelensky", "troops_deployed", "exact", "kursk", "yes", lang="fr", via="evening address",
      fr="Allocution du soir du lundi 2024-11-04 (page datée du 2024-11-05). Voir aussi "
         "https://en.irangate.news/volodymyr-zelensky-the-number-of-north-korean-forces-in-kursk-has-reached-11000/?amp=1")
claim("C022", "ua_zelensky", "killed_or_wounded", "none", "kursk", "yes", lang="fr",
      via="speech at a European conference in Budapest",
      en="No figure: bound none. Scope kursk per the Ukrainska Pravda background line.",
      fr="Première affirmation de pertes nord-coréennes, lors d'une conférence européenne à Budapest ; date tirée de "
         "https://www.pravda.com.ua/eng/news/2024/12/19/7489788/ (« Le 7 novembre, le président Volodymyr Zelensky "
         "a déclaré qu'il y avait déjà eu des pertes »). Aucun chiffre : borne « none ». Portée « kursk » d'après "
         "le rappel d'Ukrainska Pravda.")
claim("C023", "deepstate", "area_held_km2", "approx", "kursk", "yes",
      en="Plus about 200 km2 marked 'undefined' on the map, not included in the figure.",
      fr="En plus, environ 200 km² marqués « indéterminés » sur la carte, non compris dans le chiffre.")
claim("C024", "ua_general_staff", "troops_deployed", "approx", "kursk", "yes",
      via="senior General Staff source speaking to Reuters (anonymous)",
      fr="Dépêche Reuters d'environ le 2024-11-23 (horodatage de l'URL de RBC). Voir aussi "
         "https://fakti.bg./en/world/930031-the-war-in-the-kursk-region-ukraine-has-lost-more-than-40-of-captured-russian-territory")
claim("C025", "ua_general_staff", "area_held_km2", "approx", "kursk", "yes",
      via="senior General Staff source speaking to Reuters (anonymous)",
      fr="« A perdu plus de 40 % ». Voir aussi "
         "https://timeukraineisrael.com/en/news/war-en/ukraine-loses-over-40-of-territory-in-kursk-region-after-russian-counterattacks-source ; "
         "https://nenka.info/en/ukrayina-vtratyla-40-terytoriyi-v-kurskij-oblasti")
claim("C026", "ua_general_staff", "area_held_peak_km2", "approx", "kursk", "yes",
      via="senior General Staff source speaking to Reuters (anonymous)",
      en="'At most' here means the peak reached, not an upper bound: bound approx ('about 1,376').",
      fr="Chiffre de pic, supérieur à tout chiffre de Syrsky trouvé pour août (maximum 1294 le 08-27). Voir aussi "
         "https://english.almayadeen.net/news/politics/ukraine-loses-40--of-kursk-gains-amid-intensified-russian-pu "
         "« Au maximum » signifie ici le pic atteint, pas une borne supérieure : borne « approx » (« environ 1376 »).")
claim("C027", "us_dod", "troops_deployed", "at_least", "russia", "yes",
      via="reported in a Ukrinform article of 2024-12-23 (background line)",
      en="'At least 12,000': bound at_least, no upper value (the research row also had 12000 as value_high).",
      fr="Phrase de contexte dans un article du 2024-12-23 ; le Pentagone (Singh) a répété environ 12 000 le "
         "2024-12-30 : "
         "https://news.liga.net/en/politics/news/north-korean-military-attacks-in-kursk-oblast-not-so-effective-they-suffer-losses-pentagon "
         "« Au moins 12 000 » : borne « at_least », sans valeur haute (la ligne de recherche avait aussi 12000 "
         "en valeur haute).")
claim("C028", "ua_hur", "killed_or_wounded", "at_least", "kursk", "no", lang="fr",
      en="Period figure: the weekend of 14-15 December 2024, not a running total.",
      fr="Près de Plekhovo, Vorojba et Martynovka ; plus 3 disparus près de Kourilovka. Voir aussi "
         "https://www.zerohedge.com/geopolitical/north-korean-troops-kursk-suffer-first-heavy-losses-pentagon-says ; "
         "https://news.dayfr.com/aujourd/4089841.html "
         "Chiffre sur une période : le week-end des 14 et 15 décembre 2024, pas un total cumulé.")
claim("C029", "us_dod", "killed_or_wounded", "none", "kursk", "yes", lang="fr",
      via="press secretary Maj. Gen. Pat Ryder, as reported by CNN",
      en="No figure: bound none. Scope kursk: same page as events.csv E020.",
      fr="Ryder a refusé de donner des chiffres. Voir aussi "
         "https://news.az/news/at-least-100-north-koreans-dead-in-ukraine-war-says-south "
         "Aucun chiffre : borne « none ». Portée « kursk » : même page que events.csv E020.")
claim("C030", "us_officials", "killed_or_wounded", "none", "war", "yes",
      via="senior US military official speaking to AFP on condition of anonymity",
      en="'Several hundred' is not a number: bound none.",
      fr="Champs numériques laissés vides : « plusieurs centaines » n'est pas un nombre. Voir aussi "
         "http://world.kbs.co.kr/service/news_view.htm?lang=f&Seq_Code=88814 "
         "Borne « none ».")
claim("C031", "us_dod", "killed_or_wounded", "none", "war", "yes", via="press secretary Maj. Gen. Pat Ryder",
      en="'Several hundred' is not a number: bound none.",
      fr="Ryder s'attendait à une hausse des chiffres. Voir aussi "
         "https://news.az/news/at-least-100-north-koreans-dead-in-ukraine-war-says-south "
         "« Plusieurs centaines » n'est pas un nombre : borne « none ».")
claim("C032", "kr_nis", "statement", "none", "war", "no", via="closed-door briefing relayed by lawmakers",
      en="Recorded as a statement: a possible general-level death, not a count of generals.",
      fr="Korea Herald : les pertes « comprenaient certains hauts gradés de Pyongyang » : "
         "https://news.koreaherald.com/view.php?ud=20241219050073 "
         "Enregistré comme « statement » : un possible mort au rang de général, pas un décompte de généraux.")
claim("C033", "kr_nis", "killed", "at_least", "kursk", "yes",
      via="closed-door briefing relayed by lawmaker Lee Seong-kweun",
      fr="Séance à huis clos du NIS devant la commission parlementaire du renseignement. Lee a qualifié "
         "l'estimation du NIS de prudente. "
         "https://www.themoscowtimes.com/2024/12/19/at-least-100-north-korean-soldiers-killed-fighting-for-russia-seoul-says-a87399 ; "
         "https://news.koreaherald.com/view.php?ud=20241219050073")
claim("C034", "kr_nis", "troops_deployed", "approx", "kursk", "yes",
      via="closed-door briefing relayed by lawmaker Lee Seong-kweun",
      fr="Voir aussi "
         "https://www.themoscowtimes.com/2024/12/19/at-least-100-north-korean-soldiers-killed-fighting-for-russia-seoul-says-a87399")
claim("C035", "kr_nis", "wounded", "approx", "kursk", "yes",
      via="closed-door briefing relayed by lawmaker Lee Seong-kweun",
      en="Bound approx ('approaching 1,000').",
      fr="La formulation varie selon les médias : « approchant / près de 1000 » (Reuters, Moscow Times) contre "
         "« plus de 1000 » (Korea Herald). Borne « approx » (« approchant 1000 »).")
claim("C036", "ua_zelensky", "killed_or_wounded", "at_least", "kursk", "yes", lang="fr",
      via="post on X (preliminary data)",
      en="Bound at_least ('more than 3,000').",
      fr="Zelensky sur X, lundi 2024-12-23 : « a déjà dépassé 3000 » (données préliminaires). L'article arrondit "
         "à 3000 et omet « plus de ». Également dans le chapeau de l'article (« Selon Kiev, 3000 ... tués ou "
         "blessés »). https://www.urdupoint.com/en/world/over-3000-north-korean-soldiers-killed-woun-1898337.html ; "
         "https://menafn.com/1109024982/North-Koreas-Casualty-Toll-In-Kursk-Region-Exceeds-3000-Zelensky ; "
         "https://askanews.it/2024/12/23/zelensky-piu-di-3-000-soldati-nordcoreani-uccisi-o-feriti-nel-kursk "
         "Borne « at_least » (« plus de 3000 »).")
claim("C037", "kr_jcs", "killed_or_wounded", "approx", "war", "yes", lang="fr", via="JCS statement",
      en="Scope war: the statement speaks of combat with Ukrainian forces without naming a region "
         "(pressafrik: 'dans les combats contre les forces ukrainiennes').",
      fr="L'article dit « Séoul » ; le chiffre d'environ 1100 est la déclaration du JCS du lundi 2024-12-23 (pas du "
         "NIS ; KUNA l'attribue à tort au NIS). "
         "https://www.pressafrik.com/Quelque-1100-soldats-nord-coreens-tues-ou-blesses-dans-les-combats-contre-les-forces-ukrainiennes-selon-la-Coree-du-Sud_a282493.html ; "
         "https://imazpress.com/france-monde/la-coree-du-sud-evalue-a-1-100-les-soldats-nord-coreens-tues-ou-blesses-face-aux-ukrainiens ; "
         "https://themoscowtimes.com/2024/12/31/north-korean-soldiers-suffer-1100-casualties-in-ukraine-war-south-korean-military-says . "
         "En février 2025, ce chiffre était dépassé : le NIS avait dit environ 3000 le 2025-01-13. Portée « war » : "
         "la déclaration parle de combats contre les forces ukrainiennes sans nommer de région.")
claim("C038", "kr_nis", "captured", "exact", "kursk", "no",
      via="NIS statement citing a friendly nation's intelligence service",
      en="One capture (2024-12-26), not a running total.",
      fr="Premier prisonnier nord-coréen ; capturé le 2024-12-26 par les forces spéciales ukrainiennes. "
         "https://www.themoscowtimes.com/2024/12/27/ukraine-captured-north-korean-soldier-fighting-alongside-russia-south-korea-says-a87467 ; "
         "https://www.wionews.com/world/north-korean-soldier-captured-by-ukraine-dies-from-injuries-confirms-south-koreas-spy-agency-8570790 "
         "Une seule capture (2024-12-26), pas un total cumulé.")
claim("C039", "us_white_house", "killed_or_wounded", "at_least", "kursk", "no", via="NSC spokesman John Kirby",
      en="Bound at_least ('over a thousand'); period: about one week before 2024-12-27.",
      fr="Chiffre sur une période (une semaine), pas cumulé. Voir aussi "
         "https://www.devdiscourse.com/article/law-order/3208536-north-korean-forces-suffer-mass-casualties-in-russia-ukraine-conflict ; "
         "en arabe : https://elnashra.com/news/show/1703810/البيت-الأبيض-أكثر-ألف-جندي-كوري-شمالي-قُتلوا-أُصيب "
         "Borne « at_least » (« plus d'un millier ») ; période : environ une semaine avant le 2024-12-27.")
claim("C040", "us_dod", "killed_or_wounded", "approx", "kursk", "no", via="deputy press secretary Sabrina Singh",
      en="Singh confirmed the White House figure, which Kirby gave for about one week (C039); whether she meant a "
         "total is unclear, so cumulative=no like C039.",
      fr="En allemand : https://deutschalltags.de/2024/12/31/pentagon-bewertet-die-effektivitaet-nordkoreanischer-soldaten "
         "Singh a confirmé le chiffre de la Maison Blanche, que Kirby donnait pour une semaine environ (C039) ; "
         "on ne sait pas si elle parlait d'un total, d'où cumulative=no comme C039.")
claim("C041", "ua_zelensky", "killed_or_wounded", "none", "sector", "no", via="evening address",
      en="North Korean and Russian losses combined, one battle (3-4 January 2025); no number ('up to a battalion'): bound none.",
      fr="Combats du vendredi et samedi 3-4 janvier 2025 près de Makhnovka ; un bataillon = plusieurs centaines "
         "d'hommes (Reuters). Forbes (miroir) cite un décompte OSINT de 408 pertes en une journée : "
         "https://lucorg.com/russia-may-have-lost-400-troops-in-one-battle "
         "Pertes nord-coréennes et russes confondues, une seule bataille ; aucun nombre (« jusqu'à un "
         "bataillon ») : borne « none ».")
claim("C042", "ua_zelensky", "killed_or_wounded", "exact", "war", "yes", via="Lex Fridman podcast",
      fr="Podcast diffusé le dimanche 2025-01-05. Voir aussi "
         "https://english-tools.ganp.jp/readings/be887719-8bd5-4390-99a9-bdc0d97c246a ; ukrinform.fr cite aussi 3800.")
claim("C043", "us_blinken", "statement", "none", "unspecified", "no", lang="fr",
      via="joint press conference with Foreign Minister Cho Tae-yul, Seoul",
      fr="Blinken à Séoul, lundi 2025-01-06, conférence de presse commune avec le ministre des Affaires étrangères "
         "Cho Tae-yul. Il a en réalité parlé d'une intention, pas d'une expansion en cours : « Nous avons des raisons "
         "de croire que Moscou a l'intention de partager des technologies spatiales et satellitaires avancées » — "
         "le « était en train d'étendre » de l'article exagère légèrement. "
         "https://menafn.com/1109058167/US-State-Sec-Russia-To-Share-Advanced-Satellite-Technology-With-Pyongyang ; "
         "http://koreatimesus.com/blinken-russia-may-provide-advanced-satellite-technology-to-n-korea ; "
         "https://www.newser.com/story/362110/russia-to-share-space-tech-with-north-korea-blinken.html")
claim("C044", "ua_zelensky", "killed_or_wounded", "exact", "war", "yes",
      via="meeting of the Ukraine Defense Contact Group (Ramstein), Germany",
      fr="« Cette semaine, Zelensky a chiffré à 4000 les pertes nord-coréennes » — "
         "https://pledgetimes.com/ukraine-captures-two-north-korean-soldiers-alive-and-zelensky-releases-their-photos/")
claim("C045", "ua_zelensky", "captured", "exact", "kursk", "no", lang="fr",
      via="capture announced 2025-01-11; exchange offer 2025-01-12",
      en="The two soldiers captured on 2025-01-09, not a running total (the first prisoner, C038, died).",
      fr="Capture annoncée le samedi 2025-01-11 (SBU : capturés le 2025-01-09) ; offre d'échange le dimanche "
         "2025-01-12 (article : « A la mi-janvier »). Le NIS a confirmé la capture (AFP, 2025-01-12). "
         "https://www.wionews.com/world/evidence-of-involvement-zelensky-says-ukraine-captured-two-north-korean-soldiers-in-kursk-region-8610796 ; "
         "https://www.hindustantimes.com/world-news/zelensky-ready-to-exchange-north-korean-soldiers-for-ukrainians-held-in-russia-101736709514069.html ; "
         "https://www.lbcgroup.tv/news/world-news/830406/zelenskyy-says-he-is-ready-to-exchange-north-korean-soldiers-for-ukrai/en "
         "Les deux soldats capturés le 2025-01-09, pas un total cumulé (le premier prisonnier, C038, est mort).")
claim("C046", "kr_nis", "killed_or_wounded", "at_least", "war", "yes",
      via="closed-door briefing relayed by lawmaker Lee Seong-kweun",
      fr="Voir aussi https://www.urdupoint.com/en/world/seoul-says-300-north-korean-soldiers-killed-f-1907116.html ; "
         "http://world.kbs.co.kr/service/news_view.htm?lang=e&Seq_Code=190275")
claim("C047", "kr_nis", "killed", "approx", "war", "yes",
      via="closed-door briefing relayed by lawmaker Lee Seong-kweun",
      fr="Voir aussi https://trt.global/world/article/18253084 ; "
         "https://www.anews.com.tr/asia/2025/01/13/at-least-300-north-korean-soldiers-killed-in-combat-with-ukraine-claims-seoul")
claim("C048", "kr_nis", "wounded", "approx", "war", "yes",
      via="closed-door briefing relayed by lawmaker Lee Seong-kweun",
      fr="KBS : les chiffres ont « plus que triplé » par rapport à décembre : "
         "https://news.kbs.co.kr/news/pc/view/view.do?ncd=8152072")
claim("C049", "isw", "casualty_rate_per_day", "approx", "kursk", "no",
      en="A daily rate since North Korean forces entered large-scale battles, not a total.",
      fr="Dérivé par l'ISW des 3800 de Zelensky et des chiffres du NIS ; projette la perte de tout le contingent "
         "de 12 000 d'ici la mi-avril 2025. Voir aussi "
         "https://euromaidanpress.com/2025/01/17/isw-all-12000-north-korean-troops-in-kursk-may-be-lost-by-april-2025/?swcfpc=1 "
         "Un taux journalier depuis l'entrée des forces nord-coréennes dans les combats à grande échelle, pas un total.")
claim("C050", "ru_mod", "area_retaken_km2", "approx", "kursk", "yes",
      en="(The dating is explained under C051.)",
      fr="Date approximative (voir la ligne précédente). (La datation est expliquée sous C051.)")
claim("C051", "deepstate", "area_held_km2", "approx", "kursk", "yes",
      fr="Date exacte non indiquée ; l'article mentionne des événements du 2025-01-17, d'où la date d'environ le "
         "2025-01-18 (approximative). Un extrait en français indique 440 km² en janvier 2025 (extrait de moteur "
         "de recherche, non utilisé).")
claim("C052", "ua_zelensky", "killed", "exact", "kursk", "yes", via="World Economic Forum, Davos",
      en="Recorded as 'killed', as reported; probably the same figure Zelensky gave as casualties on 2025-01-09 (C044).",
      fr="Ambigu : même chiffre de 4000 que Zelensky donnait comme « pertes » le 2025-01-09 ; LIGA rapporte aussi "
         "« 4000 soldats tués » : "
         "https://news.liga.net/en/amp/politics/news/south-korea-confirms-north-korean-troops-not-engaged-in-kursk-battles "
         "Enregistré comme « tués », tel que rapporté ; probablement le même chiffre que les pertes données le "
         "2025-01-09 (C044).")
claim("C053", "western_officials_bbc", "casualties_incl_missing", "exact", "kursk", "yes",
      via="anonymous officials speaking to BBC security correspondent Frank Gardner",
      en="Includes missing and captured: measure casualties_incl_missing.",
      fr="« Près de 40 % » d'environ 11 000. Comprend disparus et capturés. Voir aussi "
         "http://world.kbs.co.kr/service/news_view.htm?lang=e&Seq_Code=190523 ; "
         "https://www.dsnews.ua/ukr/world/bbc-ukrajinci-na-kurshchini-likviduvali-blizko-tisyachi-biyciv-kndr-22012025-515446 "
         "Mesure « casualties_incl_missing » (disparus et capturés compris).")
claim("C054", "western_officials_bbc", "killed", "approx", "kursk", "yes",
      via="anonymous officials speaking to BBC security correspondent Frank Gardner",
      fr="Voir aussi https://pipedot.org/6TSHD (ORF) et KBS ci-dessus.")
claim("C055", "ua_sof", "statement", "none", "sector", "no", lang="fr",
      via="interview with AFP (spokesman Col. Oleksandr Kindratenko)",
      en="Scope sector: limited to the SOF's sectors of the front.",
      fr="« vendredi » = vendredi 2025-01-31 (AFP). Kindratenko : aucune activité nord-coréenne depuis environ "
         "3 semaines, seulement dans les secteurs des SOF. "
         "https://www.devdiscourse.com/article/law-order/3247750-vanishing-act-north-korean-troops-retreat-from-kursk-battlefield ; "
         "https://www.channelnewsasia.com/world/north-korean-troops-withdrawn-kursk-front-line-ukraine-4909636?cid=cna_flip_070214 ; "
         "https://thefrontierpost.com/ukraine-believes-north-korean-troops-withdrawn-from-kursk-front/ ; "
         "https://ukrinform.fr/rubric-ato/3955035-lukraine-confirme-le-retrait-de-militaires-nordcoreens-de-la-region-de-koursk.html "
         "Portée « sector » : limitée aux secteurs du front des SOF.")
claim("C056", "ua_zelensky", "reinforcements", "range", "war", "no", via="AP interview",
      en="A possible future deployment, not troops that had arrived.",
      fr="Voir aussi https://www.pravda.com.ua/eng/news/2025/02/2/7496435/ "
         "Un déploiement futur possible, pas des troupes arrivées.")
claim("C057", "ua_zelensky", "killed_or_wounded", "at_least", "kursk", "yes", via="AP interview",
      fr="Ukrainska Pravda écrit « plus de 4000 ont déjà été tués » et cite « L'une a été anéantie – 4000 soldats » "
         "(l'une des trois brigades) : https://www.pravda.com.ua/eng/news/2025/02/2/7496435/")
claim("C058", "ua_zelensky", "officers_killed", "none", "kursk", "no", via="AP interview",
      en="Russian and North Korean officers combined, one strike; 'dozens' is not a number: bound none.",
      fr="Frappe du 2025-01-31 sur le poste de commandement du groupement de Koursk à Rylsk (selon le Kyiv "
         "Independent). https://kyivindependent.com/ukraines-strike-on-russian-command-post-kills-key-russian-north-korean-officers/ "
         "Officiers russes et nord-coréens confondus, une seule frappe ; « des dizaines » n'est pas un nombre : "
         "borne « none ».")
claim("C059", "kr_nis", "statement", "none", "kursk", "no", lang="fr", via="statement to AFP",
      fr="Même déclaration du NIS (2025-02-04). Formulation anglaise de l'AFP : https://wingday.site/node/2588991/amp ; "
         "formulation de Yonhap : https://zmi.st/?p=264835")
claim("C060", "kr_nis", "statement", "none", "kursk", "no", lang="fr", via="statement to AFP",
      fr="L'article dit « mardi ». Son contenu date cette déclaration du NIS du mardi 2025-02-04 (Yonhap « SEOUL, "
         "Feb. 4 ... said Tuesday »), et NON du 2025-02-11. Corroboré : "
         "https://2names1scott.com/article?url=https%3A%2F%2Fen.yna.co.kr%2Fview%2FAEN20250204006600315%3Fsection%3Dnk%2Fnk%26input%3Drss ; "
         "https://wingday.site/node/2588991/amp ; http://world.kbs.co.kr/service/news_view.htm?Seq_Code=76634&lang=i ; "
         "https://frominsideasia.com/seouls-spies-back-reports-of-north-korean-troop-withdrawal-from-ukraine-war-front-lines")
claim("C061", "afp_ats", "statement", "none", "unspecified", "no", lang="fr",
      fr="Vrai en février 2025 (AFP en anglais : https://wingday.site/node/2588991/amp). Dépassé depuis : la Russie "
         "(Guerassimov) l'a reconnu le 2025-04-26, la Corée du Nord (KCNA) le 2025-04-28 — voir les lignes plus bas.")
claim("C062", "afp_ats", "area_held_km2", "none", "kursk", "yes", lang="fr",
      en="Bound none: 'several hundred' is not a number.",
      fr="Non chiffré (« plusieurs centaines de km² ») ; laissé vide exprès. Cohérent avec la BBC du 2025-01-22 "
         "(« plusieurs centaines de kilomètres carrés », "
         "https://snapbard.com/about-1-000-north-koreans-killed-fighting-ukraine-in-kursk-officials-say-337203.html) "
         "et DeepState, environ 420 km² mi-janvier 2025 "
         "(https://morningexpress.in/russia-announced-that-it-would-regain-60-of-the-area-ukraine-once-controlled-in-kursk). "
         "Borne « none » : « plusieurs centaines » n'est pas un nombre.")
claim("C063", "ua_general_staff", "killed_or_wounded", "exact", "kursk", "yes", via="as cited by Online.ua",
      en="Date = publication of the Online.ua page.",
      fr="Phrase de contexte ; date de la déclaration de l'état-major non donnée. Date = publication de la page "
         "d'Online.ua.")
claim("C064", "ua_zelensky", "officers_killed", "exact", "kursk", "no", via="Reuters interview",
      en="Russian and North Korean officers combined ('probably'); one strike, not a running total.",
      fr="Entretien à Reuters donné vers le 2025-02-06 (UNN : « Aujourd'hui (6 février) »), publié le 2025-02-08. "
         "On ne sait pas s'il s'agit de la frappe du 31 janvier à Rylsk ou de celle du 3 février près de "
         "Novoïvanovka. Voir aussi "
         "https://unn.ua/en/news/kursk-direction-zelensky-confirms-advance-and-liquidation-of-control-point-with-20-russian-and-dprk-officers "
         "Officiers russes et nord-coréens confondus (« probablement ») ; une seule frappe, pas un total cumulé.")
claim("C065", "ua_zelensky", "killed_or_wounded", "exact", "war", "yes",
      fr="Implique environ 2700 tués (déduit, non déclaré). Le Kyiv Independent note que c'est très au-dessus des "
         "300 tués du NIS.")
claim("C066", "ua_getmanchuk", "reinforcements", "approx", "war", "no", via="interview with KBS News",
      en="Expected reinforcements 'to replenish the losses', not yet arrived.",
      fr="Renforts attendus « pour combler les pertes », pas encore arrivés.")
claim("C067", "kr_nis", "reinforcements", "none", "russia", "no", via="NIS statement", lo="", hi="",
      en="Bound none, so these non-NIS figures are kept only in this note (the research row had value_low 1000, "
         "value_high 3000).",
      fr="Le NIS n'a donné aucun chiffre ; « 1000 à 3000 » vient de médias, « plus de 1000 » de responsables "
         "militaires sud-coréens. https://biz.chosun.com/en/en-policy/2025/02/27/IXTHCHXTTBHHVMOHXQCMPW753Y ; "
         "https://tvpworld.com/85307530/north-korea-sends-more-troops-to-help-russian-war-effort-says-s-korea "
         "Borne « none » : ces chiffres, qui ne sont pas du NIS, ne figurent donc que dans cette note (la ligne de "
         "recherche avait value_low 1000, value_high 3000).")
claim("C068", "euromaidan_press", "area_held_km2", "exact", "kursk", "yes",
      fr="Affirmation du média, sans source citée.")
claim("C069", "ru_gerasimov", "area_retaken_pct", "at_least", "kursk", "yes",
      via="during Putin's visit to a Kursk command post",
      fr="Déclaré lors de la visite de Poutine au poste de commandement de Koursk. Borne « at_least » (« plus de 86 % »).",
      en="Bound at_least ('more than 86%').")
claim("C070", "deepstate", "area_held_km2", "exact", "kursk", "yes",
      fr="Voir aussi https://avia-pro.net/news/rossiyskie-sily-vytesnyayut-vsu-iz-kurskoy-oblasti (environ 140 km² "
         "début avril selon DeepState/Reuters)")
claim("C071", "reuters", "area_held_km2", "approx", "kursk", "yes", via="maps of both sides, as reported by Lao Dong",
      fr="Page non datée dans l'extrait ; son contenu (après le 13 mars, « ce mois-ci ») la place dans la seconde "
         "quinzaine de mars 2025 — date approximative. Noter que « 1368 km² » diffère du chiffre de 1376.")
claim("C072", "kr_jcs", "reinforcements", "at_least", "russia", "no",
      en="Bound at_least ('some 3,000 or more'); period: January-February 2025.",
      fr="Voir aussi https://newsloup.com/2025/04/02/north-korean-troops-report-over-5000-casualties-in-kursk-british-defense-ministry-reports ; "
         "https://www.donga.com/en/article/all/20250617/5666191/1 "
         "Borne « at_least » (« quelque 3000 ou plus ») ; période : janvier-février 2025.")
claim("C073", "kr_jcs", "killed_or_wounded", "exact", "russia", "yes",
      en="Among the some 11,000 first sent to Russia.",
      fr="Voir aussi https://www.donga.com/en/article/all/20250617/5666191/1 ; "
         "https://www.upday.com/uk/about-4-700-north-korea-soldiers-killed-or-wounded-fighting-for-russia "
         "Parmi les quelque 11 000 premiers envoyés en Russie.")
claim("C074", "uk_mod", "killed_or_wounded", "at_least", "kursk", "yes", via="Defence Intelligence update",
      fr="Date = date de publication des articles ; date exacte de la mise à jour du ministère britannique non "
         "trouvée. « Rapporté » est la formulation de l'agrégateur (ce sont des estimations britanniques). Voir aussi "
         "https://nationalcourrier.com/2025/04/02/north-korean-troops-experience-high-casualties-in-kursk-region-conflict")
claim("C075", "ru_gerasimov", "statement", "none", "kursk", "no", via="report to President Putin",
      fr="Aucun chiffre de pertes donné. "
         "https://kyivindependent.com/moscow-claims-to-retake-kursk-oblast-confirms-north-korean-troop-deployment-for-first-time/ ; "
         "https://www.themoscowtimes.com/2025/04/26/russian-army-says-kursk-region-fully-liberated-from-ukraine-a88879")
claim("C076", "ru_gerasimov", "other_casualties", "at_least", "kursk", "yes", via="report to President Putin",
      en="Ukrainian casualties, not North Korean: measure other_casualties.",
      fr="Affirmation de belligérant, invérifiée ; contexte seulement. Pertes ukrainiennes, pas nord-coréennes : "
         "mesure « other_casualties ».")
claim("C077", "ru_gerasimov", "area_held_km2", "exact", "kursk", "yes", via="report to President Putin",
      en="0 km2 is the research desk's rendering of 'fully liberated' (Gornal, 'the last settlement').",
      fr="Contesté le jour même par l'état-major ukrainien (« manœuvres de propagande » ; des unités tiennent "
         "toujours des positions) : https://cnmail.cn/Politics/491943-russia-says-retook-kursk-from-ukraine-with-north-korean-help "
         "— 0 km² traduit « entièrement libérée » (Gornal, « la dernière localité ») ; c'est une transcription de la "
         "cellule recherche.")
claim("C078", "ua_general_staff", "statement", "none", "kursk", "no",
      en="A denial: measure statement.",
      fr="Voir aussi https://www.independent.co.uk/news/world/europe/ukraine-russia-war-putin-zelensky-north-korea-troops-latest-news-b2740529.html "
         "Un démenti : mesure « statement ».")
claim("C079", "us_officials", "killed_or_wounded", "approx", "war", "yes", via="as cited by Politico Europe",
      fr="Date de l'estimation américaine non donnée ; date = publication. Reprise (oct. 2025) par "
         "https://www.europesays.com/uk/524414")
claim("C080", "ua_officials", "troops_deployed", "approx", "russia", "yes",
      en="Total including 3,000 reinforcements.",
      fr="Date exacte de la déclaration ukrainienne non trouvée ; date = publication. Voir aussi "
         "https://banglanews24.com/english/international/news/bd/173697.details "
         "Total incluant 3000 renforts.")
claim("C081", "kp_kcna", "statement", "none", "kursk", "no",
      via="statement of the WPK Central Military Commission",
      fr="Kim a évoqué des fleurs déposées sur les « pierres tombales des soldats tombés » = premier aveu implicite "
         "de morts, sans chiffre "
         "(https://babel.ua/en/news/117501-north-korea-for-the-first-time-acknowledged-the-participation-of-its-military-in-the-war-against-ukraine). "
         "Voir aussi https://www.brecorder.com/news/40359871/north-korea-confirms-troop-deployment-to-russia-hails-heroes")
claim("C082", "ru_putin", "statement", "none", "unspecified", "no",
      fr="Voir aussi https://voz.us/en/world/250428/23916/north-korea-confirms-troop-deployment-in-russia.html")
claim("C083", "kr_nis", "killed_or_wounded", "approx", "war", "yes",
      via="closed-door briefing relayed by lawmaker Lee Seong-kweun",
      fr="Deux jours après la confirmation du déploiement par la KCNA. Voir aussi "
         "https://www.millenniumpost.in/world/more-than-4000-north-korean-soldiers-fought-against-ukraine-forces-608750 ; "
         "https://www.linformation.ma/news/monde/environ-600-soldats-nord-coreens-tues-au-combat-au-cote-de-la-russie-selon-un-depute-sud-coreen/57160")
claim("C084", "kr_nis", "killed", "approx", "war", "yes",
      via="closed-door briefing relayed by lawmaker Lee Seong-kweun",
      fr="Morts incinérés en Russie avant le rapatriement des restes (NIS). KBS (août 2025) reformule en 600 morts "
         "+ 4100 blessés : http://world.kbs.co.kr/service/news_view.htm?lang=e&Seq_Code=195464")
claim("C085", "kr_nis", "troops_deployed", "range", "kursk", "yes", lang="fr",
      via="closed-door briefing relayed by lawmaker Lee Seong-kweun",
      en="The range reflects differing reports of one briefing (15,000 vs 18,000), not a range given by the NIS.",
      fr="Les comptes rendus de la même séance diffèrent : AFP/le360 et infopole.cz disent 18 000 ; novatv.mk dit "
         "environ 15 000 (https://novatv.mk/okolu-600-severnokorejski-vojnitsi-ubieni-vo-vojnata-vo-ukraina) ; "
         "indiandefensenews dit 15 000 à 18 000. La fourchette reflète ces comptes rendus divergents, pas une "
         "fourchette donnée par le NIS.")
claim("C086", "kr_nis", "wounded_repatriated", "exact", "russia", "no",
      via="closed-door briefing relayed by lawmaker Lee Seong-kweun",
      en="Period: January-March 2025.",
      fr="AFP en français : "
         "https://fr.le360.ma/monde/environ-600-soldats-nord-coreens-tues-au-combat-au-cote-de-la-russie-selon-un-depute-sud-coreen_CIIVSAAYXZBJLCTZENKYK2BBCM/ "
         "Période : janvier-mars 2025.")

SEED_CLAIMS = {"C001", "C014", "C015", "C016", "C036", "C037", "C043", "C045", "C055", "C059", "C060", "C061", "C062"}

# --------------------------------------------------------------------------------------
# Places. Research place rows (P001-P036) keep their order; then the GeoNames settlements
# and the Kursk NPP from ../shared/geo-sources/settlements.geojson that are not in the
# research list; then three places named in events.csv but absent from research places.csv.
# id: (research place_id or "", name_fr, name_en, name_local, local_lang, kind, geojson name_en or "")
# --------------------------------------------------------------------------------------
PLACES = [
    ("kursk_region", "P001", "Région de Koursk", "Kursk region (Kursk Oblast)", "Курская область", "ru", "region", ""),
    ("kursk", "P002", "Koursk", "Kursk", "Курск", "ru", "city", "Kursk"),
    ("sudzha", "P003", "Soudja", "Sudzha", "Суджа", "ru", "town", "Sudzha"),
    ("nikolaevo_darino", "P004", "Nikolaïevo-Darino", "Nikolaevo-Darino", "Николаево-Дарьино", "ru", "village", ""),
    ("oleshnya", "P005", "Olechnia", "Oleshnya", "Олешня", "ru", "village", ""),
    ("tolpino", "P006", "Tolpino", "Tolpino", "Толпино", "ru", "village", ""),
    ("obshchy_kolodez", "P007", "Obchtchi Kolodez", "Obshchy Kolodez", "Общий Колодезь", "ru", "village", ""),
    ("zhuravli", "P008", "Jouravli", "Zhuravli", "Журавли", "ru", "village", ""),
    ("plekhovo", "P009", "Plekhovo", "Plekhovo (Plekhove)", "Плехово", "ru", "village", ""),
    ("vorozhba", "P010", "Vorojba", "Vorozhba", "Ворожба", "ru", "village", ""),
    ("martynovka", "P011", "Martynovka", "Martynovka", "Мартыновка", "ru", "village", ""),
    ("kurilovka", "P012", "Kourilovka", "Kurilovka", "Куриловка", "ru", "village", ""),
    ("makhnovka", "P013", "Makhnovka", "Makhnovka", "Махновка", "ru", "village", ""),
    ("leonidovo", "P014", "Leonidovo", "Leonidovo", "Леонидово", "ru", "village", ""),
    ("aleksandriya", "P015", "Aleksandria", "Aleksandriya", "Александрия", "ru", "village", ""),
    ("rylsk", "P016", "Rylsk", "Rylsk", "Рыльск", "ru", "town", "Rylsk"),
    ("novoivanovka", "P017", "Novoïvanovka", "Novoivanovka", "Новоивановка", "ru", "village", ""),
    ("viktorovka", "P018", "Viktorovka", "Viktorovka", "Викторовка", "ru", "village", ""),
    ("nikolaevka", "P019", "Nikolaïevka", "Nikolaevka", "Николаевка", "ru", "village", ""),
    ("staraya_sorochina", "P020", "Staraïa Sorotchina", "Staraya Sorochina", "Старая Сорочина", "ru", "village", ""),
    ("melovoy", "P021", "Melovoï", "Melovoy", "Меловой", "ru", "village", ""),
    ("podol", "P022", "Podol", "Podol", "Подол", "ru", "village", ""),
    ("zaoleshenka", "P023", "Zaolechenka", "Zaoleshenka", "Заолешенка", "ru", "village", ""),
    ("gornal", "P024", "Gornal", "Gornal", "Горналь", "ru", "village", ""),
    ("yunakivka", "P025", "Iounakivka", "Yunakivka", "Юнаківка", "uk", "village", "Yunakivka"),
    ("sumy_region", "P026", "Région de Soumy", "Sumy region (Sumy Oblast)", "Сумська область", "uk", "region", ""),
    ("vladivostok", "P027", "Vladivostok", "Vladivostok", "Владивосток", "ru", "city", ""),
    ("ussuriysk", "P028", "Oussouriisk", "Ussuriysk", "Уссурийск", "ru", "city", ""),
    ("khabarovsk", "P029", "Khabarovsk", "Khabarovsk", "Хабаровск", "ru", "city", ""),
    ("blagoveshchensk", "P030", "Blagovechtchensk", "Blagoveshchensk", "Благовещенск", "ru", "city", ""),
    ("chongjin", "P031", "Chongjin", "Chongjin", "청진", "ko", "city", ""),
    ("hamhung", "P032", "Hamhung", "Hamhung", "함흥", "ko", "city", ""),
    ("rason", "P033", "Rason (Najin)", "Rason (Najin)", "라선", "ko", "city", ""),
    ("pyongyang", "P034", "Pyongyang", "Pyongyang", "평양", "ko", "city", ""),
    ("seoul", "P035", "Séoul", "Seoul", "서울", "ko", "city", ""),
    ("kyiv", "P036", "Kiev", "Kyiv", "Київ", "uk", "city", ""),
    # GeoNames settlements shown on the map, not in research places.csv
    ("korenevo", "", "Korenevo", "Korenevo", "Коренево", "ru", "town", "Korenevo"),
    ("glushkovo", "", "Glouchkovo", "Glushkovo", "Глушково", "ru", "town", "Glushkovo"),
    ("lgov", "", "Lgov", "Lgov", "Льгов", "ru", "town", "Lgov"),
    ("kurchatov", "", "Kourtchatov", "Kurchatov", "Курчатов", "ru", "town", "Kurchatov"),
    ("bolshoye_soldatskoye", "", "Bolchoïe Soldatskoïe", "Bolshoye Soldatskoye", "Большое Солдатское", "ru", "village",
     "Bolshoye Soldatskoye"),
    ("belaya", "", "Belaïa", "Belaya", "Белая", "ru", "village", "Belaya"),
    ("tyotkino", "", "Tiotkino", "Tyotkino", "Тёткино", "ru", "town", "Tyotkino"),
    ("sumy", "", "Soumy", "Sumy", "Суми", "uk", "city", "Sumy"),
    ("kursk_npp", "", "Centrale nucléaire de Koursk", "Kursk Nuclear Power Plant", "Курская АЭС", "ru", "facility",
     "Kursk Nuclear Power Plant"),
    # named in research events.csv (place column) but not in research places.csv; no coordinates
    ("moscow", "", "Moscou", "Moscow", "Москва", "ru", "city", ""),
    ("washington", "", "Washington", "Washington", "Washington", "other", "city", ""),
    ("russia", "", "Russie", "Russia", "Россия", "ru", "country", ""),
]

# --------------------------------------------------------------------------------------
# Events: research row -> (place id, related claim ids, title_fr, summary_fr).
# title_fr: None = keep the research title_fr.
# --------------------------------------------------------------------------------------
EVENTS = {
    "E001": ("pyongyang", "C001", None,
             ("Lors de sa première visite à Pyongyang en 24 ans, Poutine a signé avec Kim Jong Un un traité comprenant "
             "une clause d'assistance mutuelle en cas d'attaque contre l'une des deux parties.")),
    "E002": ("nikolaevo_darino", "", None,
             ("Le ministère russe de la Défense a signalé une attaque de jusqu'à 300 soldats ukrainiens avec des chars et "
             "des blindés, à 8 h heure de Moscou, visant des villages situés à la frontière avec la région de Soumy.")),
    "E003": ("kursk_region", "C002 C003", None,
             ("Lors d'un compte rendu vidéo à Zelensky, le commandant en chef ukrainien a donné le premier chiffre officiel "
             "de la superficie tenue ; Zelensky a confirmé publiquement l'opération le même jour.")),
    "E004": ("sudzha", "C004 C005",
             "L'Ukraine dit avoir pris Soudja et met en place un bureau du commandant militaire",
             ("Syrsky a indiqué que Soudja et trois autres localités avaient été sécurisées, que l'Ukraine tenait "
             "1150 km² et 82 localités, et qu'un bureau du commandant militaire avait été créé sous les ordres du "
             "général de division Moskalyov.")),
    "E005": ("kursk_region", "C008 C009", None,
             ("Le chiffre de superficie le plus élevé trouvé de la bouche de Syrsky lui-même ; il a aussi affirmé que "
             "594 soldats russes avaient été capturés et qu'environ 30 000 soldats russes avaient été redéployés vers "
             "Koursk.")),
    "E006": ("vladivostok", "C012", None,
             ("Selon le service de renseignement sud-coréen, des navires de la marine russe ont transporté environ 1500 "
             "membres des forces spéciales nord-coréennes vers Vladivostok du 8 au 13 octobre pour y être entraînés.")),
    "E007": ("moscow", "C010", None,
             ("Peskov a rejeté l'hypothèse avancée par le ministre sud-coréen de la Défense selon laquelle du personnel "
             "nord-coréen pourrait combattre pour la Russie.")),
    "E008": ("vladivostok", "C011 C012", None,
             ("Le NIS a publié des images satellites et indiqué que la Corée du Nord avait décidé d'envoyer environ "
             "12 000 soldats en quatre brigades, et qu'un premier groupe de 1500 se trouvait déjà dans l'Extrême-Orient "
             "russe.")),
    "E009": ("kursk_region", "", None,
             ("Le chef du HUR, Boudanov, a déclaré le 22 octobre à The War Zone que les premières unités nord-coréennes "
             "étaient attendues le lendemain en direction de Koursk ; leur arrivée à cette date n'a pas été confirmée de "
             "source indépendante.")),
    "E010": ("russia", "C014 C015 C016", None,
             ("Le renseignement militaire ukrainien a indiqué qu'environ 12 000 soldats nord-coréens s'entraînaient sur "
             "cinq bases russes ; c'est l'origine des chiffres « Selon Kiev » de l'article source.")),
    "E011": ("pyongyang", "C017", None,
             ("Le vice-ministre des Affaires étrangères Kim Jong Gyu, par la voix de la KCNA, n'a ni confirmé ni démenti "
             "le déploiement, affirmant qu'il serait légal s'il existait.")),
    "E012": ("washington", "C019", None,
             ("Après des entretiens « 2+2 » entre les États-Unis et la Corée du Sud, Blinken a déclaré que 10 000 soldats "
             "nord-coréens se trouvaient en Russie, dont jusqu'à 8000 dans la région de Koursk, sans avoir encore été vus "
             "au combat.")),
    "E013": ("kursk_region", "", None,
             ("Le chef du Centre ukrainien de lutte contre la désinformation, Andriy Kovalenko, a écrit que les premiers "
             "soldats nord-coréens avaient été visés par des tirs dans la région de Koursk.")),
    "E014": ("kursk_region", "", None,
             ("Roustem Oumerov a déclaré à la KBS qu'un premier accrochage, limité, avait eu lieu dans la région de Koursk "
             "et devait être vu comme le début de la participation nord-coréenne à la guerre.")),
    "E015": ("moscow", "", None,
             ("La TASS a rapporté que Poutine avait signé la loi de ratification, après l'approbation du traité par la "
             "Douma d'État et le Conseil de la Fédération.")),
    "E016": ("pyongyang", "", None,
             ("La KCNA a rapporté le 12 novembre que Kim avait ratifié le traité le lundi 11 novembre ; il entrerait en "
             "vigueur après l'échange des instruments de ratification.")),
    "E017": ("kursk_region", "C024 C025 C026", None,
             ("Une source haut placée a déclaré à Reuters que l'Ukraine avait tenu jusqu'à environ 1376 km² et n'en "
             "tenait plus qu'environ 800, avec quelque 59 000 soldats russes et 11 000 soldats nord-coréens dans la "
             "région.")),
    "E018": ("moscow", "C001", None,
             ("Les vice-ministres des Affaires étrangères Andreï Roudenko et Kim Jong Gyu ont échangé les instruments de "
             "ratification à Moscou, ce qui a fait entrer le traité en vigueur en vertu de son article 22.")),
    "E019": ("plekhovo", "C028", None,
             ("Le renseignement militaire ukrainien a indiqué le 16 décembre qu'au moins 30 soldats nord-coréens avaient "
             "été tués ou blessés pendant le week-end des 14 et 15 décembre près de trois villages frontaliers.")),
    "E020": ("kursk_region", "C029", None,
             ("Le porte-parole du Pentagone Pat Ryder a déclaré que les troupes nord-coréennes combattaient depuis un peu "
             "plus d'une semaine, intégrées à des unités russes, et avaient eu des tués comme des blessés.")),
    "E021": ("seoul", "C033 C034 C035 C032",
             "Renseignement sud-coréen : au moins 100 Nord-Coréens tués et environ 1000 blessés",
             ("Après une séance à huis clos du NIS, le député Lee Seong-kweun a donné la première estimation des pertes "
             "par Séoul, en les attribuant à l'inexpérience face aux drones et au terrain découvert.")),
    "E022": ("seoul", "C037", None,
             ("L'état-major interarmées sud-coréen (JCS) a indiqué que les troupes nord-coréennes avaient subi environ "
             "1100 tués et blessés et que Pyongyang préparait une rotation ou l'envoi de troupes supplémentaires.")),
    "E023": ("kyiv", "C036", None,
             ("Après un rapport de Syrsky, Zelensky a écrit sur X que, selon des données préliminaires, les tués et "
             "blessés nord-coréens à Koursk dépassaient 3000 — près de trois fois le chiffre de Séoul.")),
    "E024": ("kursk_region", "C038", None,
             ("Les forces spéciales ukrainiennes ont capturé un soldat nord-coréen blessé le 26 décembre ; le NIS a "
             "confirmé la capture et sa mort le 27 décembre.")),
    "E025": ("washington", "C039", None,
             ("Le porte-parole du Conseil de sécurité nationale John Kirby a déclaré que les troupes nord-coréennes "
             "étaient envoyées dans des « assauts massifs à pied » et avaient perdu plus d'un millier de tués ou "
             "blessés en une semaine environ.")),
    "E026": ("makhnovka", "C041", None,
             ("Zelensky a affirmé que les combats des 3 et 4 janvier près de Makhnovka avaient coûté à la Russie jusqu'à "
             "un bataillon de fantassins nord-coréens et de parachutistes russes.")),
    "E027": ("seoul", "C043", None,
             ("Lors de son dernier voyage comme secrétaire d'État, Blinken a déclaré que Washington avait des raisons de "
             "croire que Moscou avait l'intention de partager des technologies spatiales et satellitaires avancées avec "
             "la Corée du Nord en échange de son soutien.")),
    "E028": ("kursk_region", "C045", None,
             ("Le SBU ukrainien a indiqué que les deux hommes avaient été capturés le 9 janvier par des forces spéciales "
             "et des parachutistes ; tous deux ont été emmenés à Kiev et interrogés avec l'aide d'interprètes "
             "sud-coréens.")),
    "E029": ("kyiv", "C045", None,
             ("Zelensky a publié des photos des deux prisonniers blessés, les premiers Nord-Coréens que l'Ukraine disait "
             "détenir vivants.")),
    "E030": ("kyiv", "C045", None,
             ("Zelensky s'est dit prêt à remettre les deux soldats à Kim Jong Un si celui-ci organisait un échange "
             "contre des Ukrainiens détenus en Russie, et a diffusé une vidéo d'interrogatoire.")),
    "E031": ("seoul", "C046 C047 C048", None,
             ("Le NIS a indiqué aux députés que les pertes nord-coréennes avaient dépassé 3000 et que les soldats étaient "
             "poussés à se donner la mort plutôt que d'être capturés.")),
    "E032": ("kursk_region", "C053 C054", None,
             ("Des responsables occidentaux anonymes ont déclaré à la BBC que près de 40 % des quelque 11 000 soldats "
             "nord-coréens étaient devenus des pertes en trois mois.")),
    "E033": ("kursk_region", "", None,
             ("Citant des responsables américains et ukrainiens, le NYT a rapporté que les troupes nord-coréennes "
             "n'avaient plus été vues sur le front de Koursk depuis environ deux semaines après de lourdes pertes, "
             "peut-être temporairement.")),
    "E034": ("kursk_region", "C055", None,
             ("Le porte-parole des Forces d'opérations spéciales, Oleksandr Kindratenko, a déclaré à l'AFP qu'aucune "
             "activité nord-coréenne n'avait été observée depuis trois semaines dans les secteurs des SOF. C'est le "
             "« vendredi » de l'article source.")),
    "E035": ("rylsk", "C058", None,
             ("Zelensky a affirmé plus tard que la frappe de missiles avait tué des dizaines d'officiers russes et "
             "nord-coréens ; l'affirmation n'a pas été vérifiée de source indépendante.")),
    "E036": ("seoul", "C059 C060", None,
             ("Le NIS a indiqué à l'AFP et à Yonhap que les troupes nord-coréennes semblaient ne plus avoir combattu "
             "depuis la mi-janvier, peut-être en raison de lourdes pertes. C'est la déclaration du mardi rapportée par "
             "l'article source (publié le 2025-02-04).")),
    "E037": ("kursk_region", "C063", None,
             ("Dans son allocution du soir, Zelensky a déclaré que de nouveaux assauts dans la zone d'opération de Koursk "
             "impliquaient de nouveau des soldats nord-coréens et que des centaines de soldats russes et nord-coréens "
             "avaient été tués.")),
    "E038": ("kyiv", "", None,
             ("Dans un entretien au Chosun Ilbo, le prisonnier Ri a dit vouloir faire défection vers le Sud ; Séoul a "
             "indiqué à Kiev être disposé à accueillir les prisonniers nord-coréens qui demandent à venir.")),
    "E039": ("kursk_region", "C067", None,
             ("Le NIS a indiqué qu'après une accalmie d'environ un mois, les troupes nord-coréennes avaient été "
             "redéployées sur le front à partir de la première semaine de février et que des troupes supplémentaires "
             "étaient arrivées, en nombre non vérifié.")),
    "E040": ("sudzha", "", None,
             ("Selon Guerassimov, la phase la plus active a commencé le 6 mars par des attaques simultanées et une unité "
             "progressant dans un gazoduc ; il a affirmé que la zone tenue par l'Ukraine avait été réduite de 2,5 fois "
             "en cinq jours.")),
    "E041": ("viktorovka", "", None,
             ("Reuters a rapporté les affirmations russes de reprise de trois villages, alors que les positions "
             "ukrainiennes à Koursk s'effondraient.")),
    "E042": ("kursk_region", "C069", None,
             ("En tenue militaire, Poutine a exhorté les commandants à achever la reconquête de la région ; Guerassimov "
             "a affirmé que plus de 86 % de la zone qu'avait tenue l'Ukraine était repassée sous contrôle russe.")),
    "E043": ("sudzha", "C070", None,
             ("Le ministère russe de la Défense a annoncé que le groupement Sever (Nord) avait pris Soudja, Melovoï et "
             "Podol ; DeepState estimait à 140 km² la zone encore tenue par l'Ukraine.")),
    "E044": ("sudzha", "", None,
             ("Les cartes actualisées du champ de bataille publiées par l'Ukraine montraient que les troupes ukrainiennes "
             "avaient quitté Soudja ; les responsables ont démenti que des unités aient été encerclées.")),
    "E045": ("seoul", "C072 C073", None,
             ("Le JCS a indiqué qu'environ 4000 des quelque 11 000 soldats envoyés initialement étaient devenus des "
             "pertes et qu'au moins 3000 de plus avaient été envoyés début 2025.")),
    "E046": ("gornal", "C075 C076 C077 C078", None,
             ("Guerassimov a annoncé à Poutine la prise du dernier village, Gornal, et a salué pour la première fois les "
             "troupes nord-coréennes ; l'Ukraine a qualifié l'annonce de propagande et affirmé que ses unités tenaient "
             "encore des positions.")),
    "E047": ("pyongyang", "C081 C082", None,
             ("La KCNA a publié une déclaration de la Commission militaire centrale affirmant que Kim avait ordonné le "
             "déploiement en vertu du traité ; Kim a promis un monument aux morts, et Poutine l'a remercié le même jour.")),
    "E048": ("seoul", "C083 C084 C085 C086", None,
             ("Deux jours après l'aveu de Pyongyang, le NIS a indiqué aux députés que 2000 blessés avaient été rapatriés "
             "par avion ou par d'autres moyens entre janvier et mars et que les morts avaient été incinérés en Russie.")),
}

CLAIM_COLS = ["id", "date", "claimant", "measure", "value_low", "value_high", "bound", "scope", "cumulative", "via",
              "quote", "quote_lang", "outlet", "source_url", "in_article", "verification", "note_fr", "note_en"]
CLAIMANT_COLS = ["id", "name_fr", "name_en", "short_fr", "short_en", "side", "kind", "description_fr", "description_en"]
EVENT_COLS = ["id", "date", "date_precision", "category", "title_fr", "title_en", "summary_fr", "summary_en", "place",
              "source_url", "in_article", "claims"]
PLACE_COLS = ["id", "name_fr", "name_en", "name_local", "local_lang", "kind", "lon", "lat", "coord_source"]


def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def join_note(research: str, extra: str) -> str:
    research, extra = research.strip(), extra.strip()
    if research and extra:
        sep = " " if research.endswith(".") else " — "
        return research + sep + extra
    return research or extra


def sep_after_url(text: str) -> str:
    """In hand-written French notes, put ' — ' between a URL and a following sentence."""
    return re.sub(r"(https?://\S+[^\s.)]) (?=[A-ZÀ-Ý«])", r"\1 — ", text)


def build_claims(research_rows: list[dict]) -> list[list[str]]:
    out = []
    ids = [r["claim_id"] for r in research_rows]
    assert sorted(C) == sorted(ids), set(C) ^ set(ids)
    for r in research_rows:
        cid = r["claim_id"]
        m = C[cid]
        lo = r["value_low"] if m["lo"] is None else m["lo"]
        hi = r["value_high"] if m["hi"] is None else m["hi"]
        b = m["bound"]
        if b in ("exact", "approx"):
            assert lo and hi and float(lo) == float(hi), (cid, lo, hi)
        elif b == "at_least":
            assert lo, cid
            hi = ""
        elif b == "at_most":
            hi = hi or lo
            lo = ""
            assert hi, cid
        elif b == "range":
            assert lo and hi and float(lo) < float(hi), cid
        elif b == "none":
            lo = hi = ""
        assert m["claimant"] in CLAIMANTS, cid
        in_article = "yes" if cid in SEED_CLAIMS else "no"
        assert (r["in_seed_article"] == "yes") == (in_article == "yes"), cid
        out.append([
            cid, r["claim_date"], m["claimant"], m["measure"], lo, hi, b, m["scope"], m["cum"], m["via"],
            r["quote"], m["lang"], r["reported_by"], r["source_url"], in_article,
            r["verification"].replace("-", "_"), sep_after_url(m["fr"]), join_note(r["notes"], m["en"]),
        ])
    return out


def build_events(research_rows: list[dict], place_ids: set[str], claim_ids: set[str]) -> list[list[str]]:
    out = []
    assert sorted(EVENTS) == sorted(r["event_id"] for r in research_rows)
    for r in research_rows:
        place, claims, title_fr, summary_fr = EVENTS[r["event_id"]]
        assert not place or place in place_ids, (r["event_id"], place)
        assert all(c in claim_ids for c in claims.split()), r["event_id"]
        out.append([
            r["event_id"], r["date"], r["date_precision"], r["category"],
            (title_fr or r["title_fr"]).replace("\u2019", "'"),  # one apostrophe style in French texts
            r["title_en"],
            summary_fr, r["description_en"], place, r["source_url"], r["in_seed_article"], claims,
        ])
    return out


def build_places(research_rows: list[dict], geojson: dict) -> list[list[str]]:
    research = {r["place_id"]: r for r in research_rows}
    used = {p[1] for p in PLACES if p[1]}
    assert used == set(research), set(research) ^ used
    feats = {f["properties"]["name_en"]: f for f in geojson["features"]}
    out = []
    for pid, rid, name_fr, name_en, name_local, lang, kind, gname in PLACES:
        lon = lat = src = ""
        if gname:
            f = feats[gname]
            lon, lat = (repr(float(v)) for v in f["geometry"]["coordinates"])
            props = f["properties"]
            if "geonameid" in props:
                src = f"GeoNames cities500, geonameid {props['geonameid']}"
                if rid and research[rid]["lat"]:
                    rr = research[rid]
                    src += (f"; agrees with research places.csv {rid} (lat {rr['lat']}, lon {rr['lon']}, "
                            f"{rr['coord_source_url']})")
            else:  # Kursk NPP
                src = ("GeoNuclearData (github.com/cristianst85/GeoNuclearData, nuclear_power_plants.csv, rows "
                       "Kursk-1..4; upstream WNA/IAEA PRIS; ODbL 1.0), via ../shared/geo-sources/settlements.geojson")
        elif rid and research[rid]["lat"]:
            rr = research[rid]
            lon, lat, src = rr["lon"], rr["lat"], rr["coord_source_url"]
        out.append([pid, name_fr, name_en, name_local, lang, kind, lon, lat, src])
    ids = [r[0] for r in out]
    assert len(ids) == len(set(ids))
    return out


# Short names for chart legends (a phone is 375 px wide).
SHORT_NAMES = {
    "ua_zelensky": ('Zelensky (Ukraine)', 'Zelensky (Ukraine)'),
    "ua_syrskyi": ('Syrsky (armée ukr.)', 'Syrskyi (Ukr. army)'),
    "ua_general_staff": ('État-major ukrainien', 'Ukr. General Staff'),
    "ua_hur": ('Renseignement ukr. (HUR)', 'Ukr. intelligence (HUR)'),
    "ua_sof": ('Forces spéciales ukr.', 'Ukr. special forces'),
    "ua_officials": ('Responsables ukrainiens', 'Ukrainian officials'),
    "ua_getmanchuk": ('Getmanchuk (Ukraine)', 'Getmanchuk (Ukraine)'),
    "ru_kremlin": ('Kremlin', 'Kremlin'),
    "ru_putin": ('Poutine', 'Putin'),
    "ru_mod": ('Défense russe', 'Russian MoD'),
    "ru_gerasimov": ('Guerassimov (Russie)', 'Gerasimov (Russia)'),
    "ru_kursk_governor": ('Gouverneur de Koursk', 'Kursk governor'),
    "kp_foreign_ministry": ('Affaires étrangères N.-Corée', 'N. Korea Foreign Ministry'),
    "kp_kcna": ('KCNA (N.-Corée)', 'KCNA (N. Korea)'),
    "kr_nis": ('Renseignement sud-coréen (NIS)', 'S. Korea intelligence (NIS)'),
    "kr_jcs": ('État-major sud-coréen (JCS)', 'S. Korea Joint Chiefs (JCS)'),
    "us_blinken": ('Blinken (États-Unis)', 'Blinken (US)'),
    "us_state": ("Département d'État", 'State Department'),
    "us_dod": ('Pentagone', 'Pentagon'),
    "us_white_house": ('Maison Blanche', 'White House'),
    "us_officials": ('Responsables américains', 'US officials'),
    "uk_mod": ('Défense britannique', 'UK MoD'),
    "western_officials_bbc": ('Resp. occidentaux (BBC)', 'Western officials (BBC)'),
    "deepstate": ('DeepState', 'DeepState'),
    "isw": ('ISW', 'ISW'),
    "reuters": ('Reuters', 'Reuters'),
    "euromaidan_press": ('Euromaidan Press', 'Euromaidan Press'),
    "afp_ats": ('ATS/AFP', 'ATS/AFP'),
}


def build_claimants() -> list[list[str]]:
    return [[cid, vals[0], vals[1], *SHORT_NAMES[cid], *vals[2:]] for cid, vals in CLAIMANTS.items()]


def render(header: list[str], rows: list[list[str]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="path to ../shared (default: %(default)s)")
    ap.add_argument("--out", type=Path, default=DATA, help="output folder (default: %(default)s)")
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--force", action="store_true", help="overwrite existing files (discards hand edits)")
    g.add_argument("--check", action="store_true", help="only report which files differ from a fresh build")
    a = ap.parse_args(argv)

    research = a.shared / "research"
    claims_r = read_csv(research / "claims.csv")
    events_r = read_csv(research / "events.csv")
    places_r = read_csv(research / "places.csv")
    geo = json.loads((a.shared / "geo-sources" / "settlements.geojson").read_text(encoding="utf-8"))

    places = build_places(places_r, geo)
    claims = build_claims(claims_r)
    events = build_events(events_r, {p[0] for p in places}, {c[0] for c in claims})
    files = {
        "claimants.csv": render(CLAIMANT_COLS, build_claimants()),
        "claims.csv": render(CLAIM_COLS, claims),
        "events.csv": render(EVENT_COLS, events),
        "places.csv": render(PLACE_COLS, places),
    }
    a.out.mkdir(parents=True, exist_ok=True)
    status = 0
    for name, text in files.items():
        path = a.out / name
        if a.check:
            same = path.exists() and path.read_text(encoding="utf-8") == text
            print(f"{name}: {'same as build' if same else 'DIFFERS from build (hand edits or not built)'}")
            status |= 0 if same else 1
        elif path.exists() and not a.force:
            print(f"{name}: exists, left untouched (use --force to rebuild)")
        else:
            path.write_bytes(text.encode("utf-8"))
            print(f"{name}: written ({text.count(chr(10)) - 1} rows)")
    return status


if __name__ == "__main__":
    sys.exit(main())
