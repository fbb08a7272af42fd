"""Tab labels of page sections (ui.sections.section_tabs); the URL carries the code after `sec_`."""

STRINGS = {
    "sec_trend": {"ja": "推移", "en": "Trend"},
    "sec_partners": {"ja": "移動先・移動元", "en": "Origins & destinations"},
    "sec_age": {"ja": "年齢別", "en": "By age"},
    "sec_breakdown": {"ja": "増減の内訳", "en": "Breakdown of change"},
    "sec_compare": {"ja": "他地域との比較", "en": "Compare areas"},
    "sec_tfr": {"ja": "合計特殊出生率", "en": "Total fertility rate"},
    "sec_published": {"ja": "市の公表値", "en": "City's published table"},
    "sec_population": {"ja": "人口と割合", "en": "Population & share"},
    "sec_flows": {"ja": "転入・転出", "en": "Moves in & out"},
    "sec_nationality": {"ja": "国籍・在留資格", "en": "Nationality & status"},
}
