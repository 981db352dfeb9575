"""Interface labels in Arabic (the default, right to left) and English.

The language is chosen by ``?lang=ar|en`` (remembered in a cookie) or the
cookie alone. Data is never translated: only the interface around it.
"""

from __future__ import annotations

from collections.abc import Callable

LANGUAGES = ("ar", "en")
LANG_COOKIE = "rasid_lang"

_LABELS: dict[str, tuple[str, str]] = {
    "app": ("راصد", "rasid"),
    "tagline": ("قاعدة معرفة من التقارير العربية", "a knowledge base from Arabic reporting"),
    "search": ("بحث", "Search"),
    "entities": ("الكيانات", "Entities"),
    "ingest": ("إدخال", "Ingest"),
    "review": ("المراجعة", "Review"),
    "export": ("تصدير", "Export"),
    "other_language": ("English", "العربية"),
    "query": ("كلمات البحث", "Words to find"),
    "entity_type": ("نوع الكيان", "Entity type"),
    "source": ("المصدر", "Source"),
    "date_from": ("من تاريخ", "From date"),
    "date_to": ("إلى تاريخ", "To date"),
    "certainty": ("درجة اليقين", "Certainty"),
    "any": ("الكل", "Any"),
    "documents": ("الوثائق", "Documents"),
    "results": ("نتيجة", "results"),
    "no_results": ("لا نتائج", "No results"),
    "previous": ("السابق", "Previous"),
    "next": ("التالي", "Next"),
    "provenance": ("المصدر والأصل", "Provenance"),
    "title": ("العنوان", "Title"),
    "url": ("الرابط", "URL"),
    "publisher": ("الناشر", "Publisher"),
    "author": ("الكاتب", "Author"),
    "published": ("تاريخ النشر", "Published"),
    "as_found": ("كما ورد", "as found"),
    "sha256": ("بصمة SHA-256", "SHA-256"),
    "ingested": ("تاريخ الإدخال", "Taken in"),
    "language": ("اللغة", "Language"),
    "reader": ("القارئ", "Reader"),
    "seen_at": ("شوهد في", "Also seen at"),
    "duplicate_of": ("نسخة مطابقة من", "Duplicate of"),
    "near_duplicate_of": ("شبه مطابقة لـ", "Near-duplicate of"),
    "text": ("النص", "Text"),
    "facts": ("الوقائع المستخرجة", "Extracted facts"),
    "events": ("الأحداث", "Events"),
    "mentions": ("الإشارات", "Mentions"),
    "legend": ("دليل الألوان", "Legend"),
    "names": ("الأسماء", "Names"),
    "type": ("النوع", "Type"),
    "attributes": ("الصفات", "Attributes"),
    "timeline": ("الخط الزمني", "Timeline"),
    "strength_chart": ("الأرقام عبر الزمن", "Figures over time"),
    "map": ("الخريطة", "Map"),
    "network": ("الشبكة", "Network"),
    "sources": ("المصادر", "Sources"),
    "statements": ("الإفادات", "Statements"),
    "property": ("الخاصية", "Property"),
    "value": ("القيمة", "Value"),
    "evidence": ("الدليل", "Evidence"),
    "attribution": ("الإسناد", "Attribution"),
    "status": ("الحالة", "Status"),
    "accept": ("قبول", "Accept"),
    "reject": ("رفض", "Reject"),
    "edit": ("تعديل", "Edit"),
    "merge": ("دمج", "Merge"),
    "split": ("فصل", "Split"),
    "not_same": ("ليسا الكيان نفسه", "Not the same"),
    "merge_with": ("دمج مع الكيان (المعرّف)", "Merge with entity (id)"),
    "split_mentions": ("إشارات ليست لهذا الكيان", "Mentions that are not this entity"),
    "reviewer": ("اسم المراجع", "Reviewer"),
    "note": ("ملاحظة", "Note"),
    "new_value": ("القيمة الجديدة", "New value"),
    "judgements": ("القرارات", "Judgements"),
    "by": ("بواسطة", "by"),
    "at": ("في", "at"),
    "machine": ("آلي", "machine"),
    "accepted": ("مقبول", "accepted"),
    "rejected": ("مرفوض", "rejected"),
    "edited": ("معدَّل", "edited"),
    "paste_text": ("الصق نصاً", "Paste text"),
    "upload_files": ("ارفع ملفات", "Upload files"),
    "allowed_types": (
        "الأنواع المقبولة: نص، HTML، JSONL، CSV، PDF، XML",
        "Accepted: text, HTML, JSONL, CSV, PDF, XML",
    ),
    "start_ingest": ("ابدأ الإدخال", "Start ingest"),
    "job": ("المهمة", "Job"),
    "taken_in": ("أُدخل", "taken in"),
    "failed": ("فشل", "failed"),
    "state": ("الحالة", "State"),
    "no_map": (
        "الخريطة الأساسية غير متاحة (حزمة world-atlas غير مثبتة: شغّل scripts/setup)؛ "
        "تظهر النقاط على شبكة خطوط الطول والعرض فقط.",
        "Base map unavailable (the world-atlas package is not installed: run scripts/setup); "
        "points are shown on a graticule only.",
    ),
    "no_places": ("لا أماكن ذات إحداثيات", "No places with coordinates"),
    "no_figures": ("لا أرقام مؤرخة", "No dated figures"),
    "login": ("الدخول", "Log in"),
    "token": ("رمز الدخول", "Token"),
    "logout": ("خروج", "Log out"),
    "error": ("خطأ", "Error"),
    "stats": ("الإحصاءات", "Statistics"),
    "download": ("تنزيل", "Download"),
    "recent_judgements": ("أحدث القرارات", "Recent judgements"),
    "together": ("معاً في جمل", "sentences together"),
    "all_types": ("كل الأنواع", "All types"),
    "id": ("المعرّف", "ID"),
    "component": ("المكوّن", "Component"),
    "date": ("التاريخ", "Date"),
    "targets": ("الأهداف", "Targets"),
    "kind": ("النوع", "Kind"),
    "save": ("حفظ", "Save"),
    "romanised": ("بالحروف اللاتينية", "Romanised"),
}

_TYPE_LABELS: dict[str, tuple[str, str]] = {
    "PERSON": ("شخص", "Person"),
    "ORG": ("منظمة / وحدة", "Organisation / unit"),
    "GPE": ("كيان جغرافي سياسي", "Geo-political entity"),
    "LOC": ("مكان", "Location"),
    "FACILITY": ("منشأة", "Facility"),
    "NORP": ("جنسية / جماعة", "Nationality / group"),
    "ROLE": ("منصب", "Role"),
    "DATE": ("تاريخ", "Date"),
    "QUANTITY": ("كمية", "Quantity"),
    "PERCENT": ("نسبة", "Percent"),
    "EVENT": ("حدث", "Event"),
    "MISC": ("متفرقات", "Miscellaneous"),
}

_CERTAINTY_LABELS: dict[str, tuple[str, str]] = {
    "asserted": ("مؤكَّد", "asserted"),
    "reported": ("منقول", "reported"),
    "estimated": ("تقديري", "estimated"),
    "believed": ("يُعتقد", "believed"),
    "uncertain": ("غير مؤكد", "uncertain"),
    "denied": ("منفي", "denied"),
    "negated": ("منفي الوقوع", "negated"),
}


def pick(lang: str | None) -> str:
    return lang if lang in LANGUAGES else "ar"


def translator(lang: str) -> Callable[[str], str]:
    index = 1 if lang == "en" else 0

    def t(key: str) -> str:
        pair = _LABELS.get(key)
        return pair[index] if pair else key

    return t


def type_label(lang: str, entity_type: str | None) -> str:
    pair = _TYPE_LABELS.get(entity_type or "")
    return pair[1 if lang == "en" else 0] if pair else (entity_type or "")


def certainty_label(lang: str, certainty: str | None) -> str:
    pair = _CERTAINTY_LABELS.get(certainty or "")
    return pair[1 if lang == "en" else 0] if pair else (certainty or "")


def direction(lang: str) -> str:
    return "ltr" if lang == "en" else "rtl"
