"""Language guesses by script, letters and stopwords."""

from __future__ import annotations

from pathlib import Path

import pytest

from rasid.text.language import detect_language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("قالت صحيفة واشنطن بوست الأمريكية إن ملفا حصل عليه الجيش العراقي", "ar"),
        ("قال مسؤول لـ Reuters إن القوات وصلت إلى Mosul صباح اليوم", "ar"),
        ("The Washington Post said a file found by the Iraqi army in Mosul", "en"),
        ("Le journal a publié les documents trouvés dans la ville de Mossoul", "fr"),
        ("El periódico dijo que los documentos fueron hallados en la ciudad", "es"),
        ("Die Zeitung berichtet, dass die Dokumente in der Stadt gefunden wurden", "de"),
        ("روزنامه واشنگتن پست گزارش داد که این پرونده در موصل پیدا شده است", "fa"),
        ("اخبار کے مطابق یہ دستاویزات موصل میں ملی ہیں اور فوج نے انہیں ضبط کیا ہے", "ur"),
        ("Газета сообщила, что документы были найдены в Мосуле", "ru"),
        ("Η εφημερίδα ανέφερε ότι τα έγγραφα βρέθηκαν", "el"),
        ("", "und"),
        ("   1234 ... !!", "und"),
    ],
)
def test_detect_language(text: str, language: str) -> None:
    assert detect_language(text) == language


def test_examples_are_arabic(examples_dir: Path) -> None:
    for path in examples_dir.glob("*.txt"):
        assert detect_language(path.read_text(encoding="utf-8")) == "ar"


def test_rejects_non_strings() -> None:
    with pytest.raises(TypeError):
        detect_language(None)  # type: ignore[arg-type]
