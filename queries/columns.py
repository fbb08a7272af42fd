"""Column metadata, defined once: every column a page, the explorer or the SQL console can hand to a user.

For each column name: its label in Japanese and English, its unit, how it is written (`kind`) and — for an
enumeration — the words for its codes. ui.download turns a frame of database codes into a table an analyst can
read ("出生数（人）", "総数", "2024年度"); the explorer labels its preview and filters from here; the SQL console's
schema panel shows the same units, descriptions and allowed values.

kind:
  code    identifier kept as text (area codes keep their leading zeros: '01209')
  text    free text;  enum:<name>  a code with words in ENUMS;  age  an age group ('15-19' -> '15〜19歳')
  period  'FY2024' -> '2024年度', 'CY2021' -> '2021年' (ja);  date  a calendar date
  int     a count (#,##0);  year  a year (no separator)
  d1, d2  a number rounded to 1 or 2 decimals (0.0, 0.00)
  share   a fraction, written ×100 in % with 1 decimal;  pct1, pct2  already in %, 1 or 2 decimals
  drop    internal helper column, left out of every download
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import formats
from indicators.definitions import INDICATORS


@dataclass(frozen=True)
class Column:
    """One column: labels (ja/en), unit (ja/en, '' if none), kind (see module docstring), description (ja/en)."""

    name: str
    ja: str
    en: str
    unit_ja: str = ""
    unit_en: str = ""
    kind: str = "text"
    desc_ja: str = ""
    desc_en: str = ""

    def header(self, lang: str) -> str:
        """The header cell: label and unit, '出生数（人）' / 'Births (persons)'."""
        unit = self.unit_ja if lang == "ja" else self.unit_en
        label = self.ja if lang == "ja" else self.en
        if not unit:
            return label
        return f"{label}（{unit}）" if lang == "ja" else f"{label} ({unit})"

    @property
    def enum(self) -> str | None:
        return self.kind.split(":", 1)[1] if self.kind.startswith("enum:") else None

    @property
    def decimals(self) -> int | None:
        """Decimals a number of this kind is rounded to (None: not a rounded number)."""
        return {"int": 0, "year": 0, "d1": 1, "d2": 2, "share": 1, "pct1": 1, "pct2": 2}.get(self.kind)


#: Words for coded values, {enumeration: {code: (ja, en)}}.
ENUMS: dict[str, dict[str, tuple[str, str]]] = {
    "nationality": {"total": ("総数", "Total"), "japanese": ("日本人", "Japanese"), "foreign": ("外国人", "Foreign")},
    "sex": {"total": ("総数", "Total"), "male": ("男", "Male"), "female": ("女", "Female")},
    "period_kind": {"FY": ("年度", "Fiscal year"), "CY": ("暦年", "Calendar year")},
    "basis": {"juki": ("住民基本台帳", "Resident register"), "census": ("国勢調査", "Census"),
              "estimate": ("人口推計", "Population estimates"),
              "city_register": ("市の住民基本台帳集計", "City's register count")},
    "scope": {"japanese_only": ("日本人のみ", "Japanese only"), "all": ("日本人と外国人", "Japanese and foreign")},
    "measure": {"births": ("出生", "Births"), "deaths": ("死亡", "Deaths"), "natural_change": ("自然増減", "Natural change"),
                "in_total": ("転入", "In-migrants"), "out_total": ("転出", "Out-migrants"), "net": ("社会増減", "Net migration")},
    "projection": {"ipss_2018": ("社人研 平成30年推計", "IPSS 2018"), "ipss_2023": ("社人研 令和5年推計", "IPSS 2023"),
                   "kurume_vision_2025": ("久留米市人口ビジョン", "Kurume population vision"),
                   "app_baseline": ("本アプリの基準推計", "This app: trend baseline"),
                   "app_scenario": ("本アプリのシナリオ", "This app: scenario")},
    "scenario": {"baseline": ("基準", "Baseline"), "improved": ("改善", "Improved")},
    "level": {"area": ("当該地域", "This area"), "prefecture": ("都道府県", "Prefecture"), "nation": ("全国", "Japan")},
    "area_kind": {"nation": ("全国", "Japan"), "prefecture": ("都道府県", "Prefecture"),
                  "designated_city": ("政令指定都市", "Designated city"), "ward": ("行政区", "Ward"),
                  "special_ward": ("特別区", "Special ward"), "city": ("市", "City"), "town": ("町", "Town"),
                  "village": ("村", "Village"), "group": ("地域グループ", "Area group")},
    "parameter": {"survival": ("生残率", "Survival rate"), "migration": ("純移動率", "Net migration rate"),
                  "cwr": ("子ども女性比", "Child-woman ratio"), "sex_ratio": ("0〜4歳性比", "Sex ratio 0–4"),
                  "tfr": ("合計特殊出生率", "Total fertility rate")},
    "bool": {"True": ("はい", "yes"), "False": ("いいえ", "no"), "true": ("はい", "yes"), "false": ("いいえ", "no")},
}

# name | ja | en | unit_ja | unit_en | kind | description ja | description en
_TABLE = """
area_code|地域コード|Area code|||code|全国地方公共団体コード（5桁、先頭の0を含む）。00000＝全国、PP000＝都道府県|JIS municipality code (5 digits, leading zeros kept); 00000 = Japan, PP000 = prefecture
area_name|地域|Area|||text|地域の名称|Area name
name_ja|地域|Area|||text|地域の名称（日本語）|Area name (Japanese)
name_en|地域（英語）|Area (English)|||text|地域の名称（英語）|Area name (English)
name_kana|よみ|Kana|||text|地域の名称のよみ|Area name (kana)
name|地域|Area|||text|地域の名称|Area name
pref_code|都道府県コード|Prefecture code|||code|都道府県のコード（PP000）|Prefecture code (PP000)
pref_name|都道府県|Prefecture|||text|都道府県名|Prefecture name
parent_code|所属コード|Parent code|||code|政令市の区の市、市町村の都道府県|Code of the parent (city of a ward, prefecture)
kind|区分|Kind|||enum:area_kind|全国・都道府県・市・町・村・政令市・区|Nation, prefecture, city, town, village, ward
current|現存|Current|||enum:bool|現存する地域か（合併で消滅した市町村は いいえ）|Whether the area still exists (false for merged-away municipalities)
lat|緯度|Latitude|度|deg|drop||
lon|経度|Longitude|度|deg|drop||
origin_code|移動前コード|Origin code|||code|移動前の住所地のコード|Code of the origin
origin_name|移動前|Origin|||text||
dest_code|移動後コード|Destination code|||code|移動後の住所地のコード|Code of the destination
dest_name|移動後|Destination|||text||
partner_code|相手先コード|Partner code|||code|移動の相手先（都道府県・大都市圏など）のコード|Code of the partner area
partner_name|相手先|Partner|||text||
partner_ja|相手先|Partner|||text||
partner_en|相手先（英語）|Partner (English)|||text||
partner_kind|相手先の区分|Partner kind|||enum:area_kind||
group_code|グループコード|Group code|||code|地域グループ（圏域）のコード|Area group code
group_name_ja|グループ名|Group|||text||
group_name_en|グループ名（英語）|Group (English)|||text||
ref_date|基準日|Reference date|||date|人口を数えた日（1月1日、2013年以前は3月31日）|Date of the count (1 Jan; 31 Mar up to 2013)
from_date|起点日|From|||date||
to_date|終点日|To|||date||
period|期間|Period|||period|FY2024＝2024年度（4月〜翌3月）、CY2021＝2021年（暦年）|FY2024 = fiscal year Apr 2024–Mar 2025; CY2021 = calendar year
period_kind|期間区分|Period kind|||enum:period_kind|年度（FY）か暦年（CY）か。混ぜて合計しない|Fiscal (FY) or calendar year (CY); never add them together
period_end|期末日|Period end|||date|期間の最終日|Last day of the period
year|年|Year|||year|年（推計・合計特殊出生率は暦年）|Year
basis|基礎|Basis|||enum:basis|人口の出所（住民基本台帳・国勢調査・推計）|Source kind of the count
nationality|国籍|Nationality|||enum:nationality|総数・日本人・外国人|Total, Japanese, foreign
sex|性別|Sex|||enum:sex|総数・男・女|Total, male, female
age_group|年齢|Age group|||age|5歳階級（0〜4歳 … 90歳以上）、総数|5-year age group, or total
age3|年齢3区分|Age group (3)|||age||
age_from|年齢（期首）|Age at start|||age||
age_to|年齢（期末）|Age at end|||age||
scope|範囲|Scope|||enum:scope|日本人のみの系列か、日本人と外国人の計か|Japanese only, or all residents
source|推計|Projection|||enum:projection|推計の出所（社人研・市の人口ビジョン・本アプリ）|Who made the projection
scenario|シナリオ|Scenario|||enum:scenario||
source_id|出典ID|Source id|||code|出典表（sources）の ID|Id in the sources table
publisher|公表機関|Publisher|||text|統計を公表した機関|Publishing body
title|資料名|Title|||text|統計・資料の名称|Title of the statistics
table_id|表|Table|||text|表番号・表名|Table id or name
publisher_en|公表機関（英語）|Publisher (English)|||text|公表機関の英語名|English name of the publishing body
title_en|資料名（英語）|Title (English)|||text|資料の英語名|English title of the statistics
table_id_en|表（英語）|Table (English)|||text|表名の英語|Table name in English
url|URL|URL|||text||
retrieved|取得日|Retrieved|||text|ファイルを取得した日|Date the file was retrieved
licence|利用条件|Licence|||text||
note|注記|Note|||text||
import_id|取り込み番号|Import no.|||code||
measure|項目|Measure|||enum:measure||
level|区分|Level|||enum:level||
nationality_country|国籍・地域|Country|||text|在留外国人の国籍・地域（total＝総数）|Country of nationality (total = all)
residence_status|在留資格|Residence status|||text|在留資格（total＝総数）|Residence status (total = all)
persons|人口|Population|人|persons|int|人数|Number of persons
households|世帯数|Households|世帯|households|int|世帯数|Number of households
births|出生数|Births|人|persons|int|期間中の出生数|Births in the period
deaths|死亡数|Deaths|人|persons|int|期間中の死亡数|Deaths in the period
natural_change|自然増減数|Natural change|人|persons|int|出生数−死亡数|Births minus deaths
in_total|転入者数|In-migrants|人|persons|int|転入者数（国内＋国外）|In-migrants (domestic + from abroad)
in_domestic|転入者数・国内|In-migrants, domestic|人|persons|int||
in_abroad|転入者数・国外|In-migrants, from abroad|人|persons|int||
out_total|転出者数|Out-migrants|人|persons|int|転出者数（国内＋国外）|Out-migrants (domestic + abroad)
out_domestic|転出者数・国内|Out-migrants, domestic|人|persons|int||
out_abroad|転出者数・国外|Out-migrants, abroad|人|persons|int||
other_in|その他の記載|Other entries|人|persons|int|職権記載など|Entries by other reasons
other_out|その他の消除|Other removals|人|persons|int|職権消除など|Removals by other reasons
net|転入超過数|Net migration|人|persons|int|転入−転出（負は転出超過）|In minus out (negative = net loss)
movers|移動者数|Movers|人|persons|int||
net_movers|転入超過数|Net movers|人|persons|int|転入−転出（負は転出超過）|In minus out (negative = net loss)
in_movers|転入者数|In-movers|人|persons|int||
out_movers|転出者数|Out-movers|人|persons|int||
pop_start|期首人口|Population at start|人|persons|int||
pop_end|期末人口|Population at end|人|persons|int||
pop_mean|平均人口|Mean population|人|persons|int|期首と期末の平均|Mean of start and end
birth_rate|出生率|Birth rate|人口千人あたり|per 1,000|d2|出生数÷平均人口×1000|Births per 1,000 mean population
death_rate|死亡率|Death rate|人口千人あたり|per 1,000|d2|死亡数÷平均人口×1000|Deaths per 1,000 mean population
natural_rate|自然増減率|Natural change rate|人口千人あたり|per 1,000|d2|（出生数−死亡数）÷平均人口×1000|(Births − deaths) per 1,000
in_rate|転入率|In-migration rate|人口千人あたり|per 1,000|d2||
out_rate|転出率|Out-migration rate|人口千人あたり|per 1,000|d2||
net_migration_rate|社会増減率|Net migration rate|人口千人あたり|per 1,000|d2|（転入−転出）÷平均人口×1000|(In − out) per 1,000
net_rate|社会増減率|Net migration rate|人口千人あたり|per 1,000|d2||
tfr|合計特殊出生率|Total fertility rate|||d2|15〜49歳の年齢別出生率の合計|Sum of age-specific fertility rates, 15–49
share|割合|Share|%|%|share||
share_pct|割合|Share|%|%|pct1||
foreign_share_pct|外国人の割合|Foreign share|%|%|pct1|外国人÷総人口×100|Foreign ÷ total × 100
rate_pct|純移動率|Net migration rate|%|%|pct2||
low_pct|純移動率・下限|Rate, low|%|%|pct2||
high_pct|純移動率・上限|Rate, high|%|%|pct2||
total|総人口|Total population|人|persons|int||
japanese|日本人|Japanese|人|persons|int||
foreign|外国人|Foreign|人|persons|int||
japanese_change|日本人の増減|Change, Japanese|人|persons|int||
foreign_change|外国人の増減|Change, foreign|人|persons|int||
japanese_net|日本人の転入超過数|Net migration, Japanese|人|persons|int||
total_net|総数の転入超過数|Net migration, all|人|persons|int||
total_moves|総数の移動者数|Moves, all|人|persons|int||
published|市の公表値|Published by the city|人|persons|int||
official|総務省統計|Official statistics|人|persons|int||
difference|差|Difference|人|persons|int||
official_nationality|総務省統計の範囲|Scope of the official figure|||enum:nationality||
pop_0_14|0〜14歳人口|Population 0–14|人|persons|int||
pop_15_64|15〜64歳人口|Population 15–64|人|persons|int||
pop_65p|65歳以上人口|Population 65+|人|persons|int||
share_0_14|0〜14歳の割合|Share 0–14|%|%|share||
share_15_64|15〜64歳の割合|Share 15–64|%|%|share||
share_65p|65歳以上の割合|Share 65+|%|%|share||
baseline_total|基準推計の総人口|Baseline total|人|persons|int||
diff_total|基準推計との差|Difference to baseline|人|persons|int||
band50_low|50%区間・下限|50% band, low|人|persons|int||
band50_high|50%区間・上限|50% band, high|人|persons|int||
band80_low|80%区間・下限|80% band, low|人|persons|int||
band80_high|80%区間・上限|80% band, high|人|persons|int||
band_low|誤差幅・下限|Band, low|人|persons|int||
band_high|誤差幅・上限|Band, high|人|persons|int||
group|年齢層コード|Age band code|||code||
group_label|年齢層|Age band|||text||
index|指数|Index|2020年＝100|2020 = 100|d1||
topic|話題|Topic|||text||
statement_ja|記述|Statement|||text||
statement_en|記述（英語）|Statement (English)|||text||
status|状態|Status|||text||
parameter|パラメータ|Parameter|||enum:parameter||
value|値|Value|||text||
param_base_year|前提・基準年|Assumption: base year|||year||
param_tfr_base|前提・基準の合計特殊出生率|Assumption: base TFR|||d2||
param_tfr_target|前提・目標の合計特殊出生率|Assumption: target TFR|||d2||
param_tfr_year|前提・目標年|Assumption: target year|||year||
param_tfr|前提・合計特殊出生率|Assumption: TFR|||d2||
param_tfry|前提・目標年|Assumption: target year|||year||
param_migration_points|前提・純移動率の変化|Assumption: migration change|ポイント|points|d1||
param_mig|前提・純移動率の変化|Assumption: migration change|ポイント|points|d1||
param_migration_ages|前提・対象年齢|Assumption: ages|||text||
param_ages|前提・対象年齢|Assumption: ages|||text||
param_foreign_share_2070_pct|前提・2070年の外国人割合|Assumption: foreign share 2070|%|%|pct1||
param_fshare|前提・2070年の外国人割合|Assumption: foreign share 2070|%|%|pct1||
param_foreign_method|前提・外国人の推計方法|Assumption: foreign method|||text||
param_fm|前提・外国人の推計方法|Assumption: foreign method|||text||
param_births|前提・出生の推計方法|Assumption: births method|||text||
population|人口|Population|人|persons|int|住民基本台帳の総人口|Register population
youth_net_mean|15〜29歳の転入超過数（年平均）|Net migration 15–29 (yearly mean)|人|persons|d1||
size_band|人口規模の区分|Size band|||text|指標比較ページの人口規模（0＝5千人未満 … 7＝50万人以上）|Size band of the indicator page (0 = under 5,000 … 7 = 500,000+)
kpi_id|KPI ID|KPI id|||code||
goal|基本目標|Goal|||text||
kpi|KPI|KPI|||text||
department|担当課|Department|||text||
baseline|基準値|Baseline|||text||
target|目標値|Target|||text||
actual|実績値|Actual|||text||
origin|実績の出所|Origin of the actual|||text||
progress|進捗|Progress|%|%|d1||
grade|評価|Grade|||text||
reason|評価の根拠|Reason|||text||
recorded|記録|Recorded|||text||
codes|合算したコード|Codes summed|||code|合併・コード変更の前は前身の市町村のコードを合算（+区切り）|Before a merger or code change: the predecessor codes summed (joined by +)
complete|合算が完全か|Complete|||enum:bool|前身の市町村がすべて揃って合算されたか|Whether every predecessor was present in the sum
latest|最新の時点|Latest|||text|収録している最新の時点|Latest period or date held
n_rows|行数|Rows|行|rows|int||
meta_first|最初|First|||period||
meta_last|最後|Last|||period||
meta_rows|行数|Rows|行|rows|int||
meta_areas|地域数|Areas|地域|areas|int||
order|順|Order|||drop||
lo|下限年齢|Lowest age|||drop||
is_group|グループ|Group|||drop||
"""

COLUMNS: dict[str, Column] = {}
for _line in _TABLE.strip().splitlines():
    _f = _line.split("|")
    COLUMNS[_f[0]] = Column(*_f)
del _line, _f
# The indicators of the 指標比較 page, as 'ix_<key>': defined once in indicators.definitions (name, unit, digits).
COLUMNS |= {f"ix_{i.key}": Column(f"ix_{i.key}", i.name["ja"], i.name["en"], i.unit["ja"], i.unit["en"],
                                  f"d{min(max(i.decimals, 1), 2)}", i.formula["ja"], i.formula["en"])
            for i in INDICATORS}


def column(name: str) -> Column:
    """The metadata of `name`; a column not in the table gets its own name as label (kind 'text')."""
    return COLUMNS.get(name) or Column(name, name, name)


def header(name: str, lang: str) -> str:
    """The header of column `name` in `lang` ('births', 'ja' -> '出生数（人）'); the name itself if unknown."""
    return column(name).header(lang)


def age_words(value, lang: str):
    """'15-19' -> '15〜19歳' (ja) / '15–19' (en); '90+' -> '90歳以上' / '90+'; 'total' -> '総数' / 'Total'.

    An en dash in English so that Excel does not read '5-9' as the 9th of May."""
    if not isinstance(value, str):
        return value
    if value == "total":
        return "総数" if lang == "ja" else "Total"
    m = re.fullmatch(r"(\d+)-(\d+)", value)
    if m:
        return f"{m[1]}〜{m[2]}歳" if lang == "ja" else f"{m[1]}–{m[2]}"
    m = re.fullmatch(r"(\d+)\+", value)
    if m:
        return f"{m[1]}歳以上" if lang == "ja" else value
    return value


def words(name: str, value, lang: str):
    """`value` of column `name` as the screen writes it: enumeration words, age groups, periods; else unchanged."""
    col = column(name)
    if not isinstance(value, str):
        return value
    if col.enum:
        w = ENUMS[col.enum].get(value)
        return value if w is None else w[0 if lang == "ja" else 1]
    if col.kind == "age":
        return age_words(value, lang)
    if col.kind == "period":
        return formats.period(value, lang) if re.fullmatch(r"(FY|CY)\d{4}(-(FY|CY)\d{4})?", value) else value
    return value


def allowed(name: str) -> list[str]:
    """The codes an enumeration column may hold ([] for other columns)."""
    col = column(name)
    return list(ENUMS[col.enum]) if col.enum else []


def period_key(value: str) -> tuple:
    """A sort key putting periods and dates in time order: 'FY2012' (ends March 2013) before 'CY2013'."""
    last = str(value).split("-")[-1] if str(value)[:2] in ("FY", "CY") else str(value)
    if last.startswith("FY") and last[2:].isdigit():
        return (int(last[2:]) + 1, 3, 31, 0)
    if last.startswith("CY") and last[2:].isdigit():
        return (int(last[2:]), 12, 31, 1)
    if last.isdigit():
        return (int(last), 12, 31, 2)
    try:
        return (int(last[:4]), int(last[5:7]), int(last[8:10]), 3)
    except ValueError:
        return (9999, 0, 0, 9)


def chronological(values: list[str]) -> list[str]:
    """Periods, dates or years in time order ('FY2011', 'FY2012', 'CY2013' …; dates by day)."""
    return sorted(values, key=lambda v: (period_key(v), v))
