"""Name, street and language lists for the synthetic member roster (no real people).

Names are common given names and surnames drawn by ethnicity group so rosters look like a
California Medi-Cal membership; every combination is fictitious.
"""

from __future__ import annotations


def _split(text: str) -> tuple[str, ...]:
    """Split a |-separated list (kept compact so the lists stay readable)."""
    return tuple(text.split("|"))


FEMALE_HISPANIC = _split(
    "Maria|Guadalupe|Sofia|Valeria|Camila|Ximena|Daniela|Isabella|Ana|Rosa|Veronica|"
    "Alejandra|Yesenia|Leticia|Araceli|Brenda|Jocelyn|Esmeralda|Natalia|Gabriela"
)
MALE_HISPANIC = _split(
    "Jose|Juan|Luis|Carlos|Jesus|Miguel|Angel|Diego|Mateo|Santiago|Francisco|Javier|"
    "Alejandro|Ricardo|Eduardo|Fernando|Jorge|Manuel|Oscar|Emiliano"
)
FEMALE_OTHER = _split(
    "Mary|Jennifer|Linda|Emily|Olivia|Emma|Ava|Mia|Aaliyah|Jasmine|Ashley|Jessica|"
    "Thao|Mai|Linh|Jia|Mei|Grace|Anahit|Fatima|Keisha|Tiana|Hannah|Samantha|"
    "Patricia|Angela"
)
MALE_OTHER = _split(
    "James|John|Robert|Michael|David|William|Daniel|Anthony|Christopher|Joshua|Jayden|"
    "Ethan|Noah|Liam|Minh|Wei|Jun|Tuan|Arman|Omar|Darnell|Andre|Marcus|Kevin|Brian|"
    "Thomas"
)
SURNAMES_HISPANIC = _split(
    "Garcia|Hernandez|Lopez|Martinez|Gonzalez|Rodriguez|Perez|Sanchez|Ramirez|Torres|"
    "Flores|Rivera|Gomez|Diaz|Reyes|Cruz|Morales|Ortiz|Gutierrez|Chavez|Ramos|Ruiz|"
    "Mendoza|Alvarez|Castillo|Jimenez|Vasquez|Romero|Herrera|Medina"
)
SURNAMES_OTHER = _split(
    "Smith|Johnson|Williams|Brown|Jones|Miller|Davis|Wilson|Anderson|Taylor|Thomas|Moore|"
    "Jackson|White|Harris|Thompson|Robinson|Walker|Young|Allen|Nguyen|Tran|Le|Pham|Kim|"
    "Lee|Park|Chen|Wang|Li|Wong|Santos|Reyes|Dela Cruz|Petrosyan|Hakobyan|Sarkisian|"
    "Ivanov|Hosseini|Ahmadi|Haddad|Washington|Coleman|Begay|Tsosie|Fonoti|Kealoha|Baker|"
    "Hill|Scott"
)
STREETS = _split(
    "Main|Oak|Maple|Pine|Cedar|Elm|Washington|Lincoln|Jefferson|Vermont|Figueroa|"
    "Broadway|Mission|El Camino|Alameda|Central|Florence|Imperial|Western|Normandie|"
    "Hoover|Santa Fe|Palm|Sunset|Olive|Grand|Harbor|Park|Lake|Hillcrest|Vista|Mesa|"
    "Garden|Valley|Orchard|Franklin|Adams|Madison|Monroe|Jackson"
)
STREET_SUFFIXES = ("St", "Ave", "Blvd", "Dr", "Way", "Rd", "Ln", "Pl")
UNIT_PREFIXES = ("Apt", "Unit", "#", "Spc")
EMAIL_DOMAINS = ("example.com", "example.org", "example.net")

# Preferred written language, ISO 639-1. Medi-Cal threshold languages in these counties:
# Spanish first by far, then Chinese, Vietnamese, Tagalog, Korean, Armenian, Russian,
# Arabic and Farsi. A few rows carry the language name instead of the code (both valid).
LANGUAGE_NAMES = {
    "en": "English",
    "es": "Spanish",
    "zh": "Chinese",
    "vi": "Vietnamese",
    "tl": "Tagalog",
    "ko": "Korean",
    "ru": "Russian",
    "ar": "Arabic",
    "hy": "Armenian",
    "fa": "Farsi",
}
