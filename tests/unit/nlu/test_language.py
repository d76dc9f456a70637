import pytest

from bot.nlu.language import is_foreign_language


@pytest.mark.parametrize(
    "text",
    [
        "hi, do you speak english?",
        "Is there a webinar about invoices?",
        "hello is anybody there",
        "Здравствуйте, вы говорите по-русски?",
        "merhaba, yardım lazım",
        "Merhaba, Almanca bilmiyorum",
        "Bonjour, je cherche un conseiller",
        "Hola, necesito ayuda con la factura",
        "Ciao, ho bisogno di aiuto",
    ],
)
def test_foreign_messages(text: str) -> None:
    assert is_foreign_language(text)


@pytest.mark.parametrize(
    "text",
    [
        "Hallo, ich habe eine Frage",
        "brauch ich ne TSE",
        "thanks",
        "Was ist ein Cloud Backup für die Website?",
        "Habt ihr Infos zu Social Media und Instagram?",
        "je Beratung 3.500 Euro, per E-Mail, un des Betriebs",
        "ich heiße Łukasz Wójcik und hab ne Frage zur Kasse",
        "3 Stück à 5 Euro im Café, muss ich dafür ne Rechnung schreiben?",
    ],
)
def test_german_messages(text: str) -> None:
    assert not is_foreign_language(text)


@pytest.mark.parametrize(
    "text",
    [
        "Merhaba, kuaför salonum var. Yazar kasa için TSE gerekli mi?",
        "Dzień dobry, jestem glazurnikiem. Kiedy muszę wysyłać e-faktury?",
        "bună ziua, am o brutărie mică, cum pot să fac facturi electronice?",
        "buna ziua, am nevoie de ajutor pentru facturi",
    ],
)
def test_turkish_and_polish_questions_with_a_german_term_are_foreign(text: str) -> None:
    assert is_foreign_language(text)
