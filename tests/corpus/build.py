"""Build the corpus of tricky but honest exports (issue 21): ``python -m tests.corpus.build`` rewrites it.

Each case is a file as a real tool writes it and, in ``cases.json``, what loading it must give: the table, the
columns compared, every loaded row as text (written here by hand or from the values the file was made from, never
by the code under test), and the rejected rows with their reasons, or the error when nothing can be loaded.
"""

from __future__ import annotations

import io
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq

HERE = Path(__file__).resolve().parent
CASES: dict[str, dict] = {}


def case(name: str, data: bytes, kind: str, columns: list[str], rows: list[list[str | None]], rejects=(), **extra):
    """Record one corpus file and what loading it as ``kind`` must give."""
    (HERE / name).write_bytes(data)
    CASES[name] = {"kind": kind, "columns": columns, "rows": rows, "rejects": [list(r) for r in rejects], **extra}


def failure(name: str, data: bytes, code: str):
    """Record a corpus file that must be refused as a whole with message ``code``."""
    (HERE / name).write_bytes(data)
    CASES[name] = {"error": code}


def lines(*rows: str, eol: str = "\n") -> str:
    return eol.join(rows) + eol


def encodings():
    names = [(f"C{i:05}", f"客户{i}号", "华东" if i % 2 else "华北") for i in range(4000)]
    header = "客户编号,客户名称,地区"
    # UTF-8 with one GBK line far past the first 64 KB (row 3502 of the file).
    body = [header] + [",".join(r) for r in names]
    data = b"".join((ln + "\n").encode("gbk" if i == 3501 else "utf-8") for i, ln in enumerate(body))
    kept = [list(r) for i, r in enumerate(names) if i != 3500]
    case(
        "enc_utf8_one_gbk_line_after_64k.csv",
        data,
        "customers",
        ["customer_id", "name", "region"],
        kept,
        [(3502, "reason_encoding")],
    )

    people = [("G1", "张三", "华东"), ("G2", "李四", "华北"), ("G3", "王五", "华南"), ("G4", "赵六", "西南")]
    text = [header] + [",".join(r) for r in people]
    data = b"".join((ln + "\r\n").encode("utf-8" if i == 3 else "gbk") for i, ln in enumerate(text))
    case(
        "enc_gbk_one_utf8_line.csv",
        data,
        "customers",
        ["customer_id", "name", "region"],
        [list(r) for i, r in enumerate(people) if i != 2],
        [(4, "reason_encoding")],
    )

    tab = lines(*("\t".join(r) for r in [("客户编号", "客户名称", "地区"), *people]))
    case(
        "enc_utf16le_no_bom.txt",
        tab.encode("utf-16-le"),
        "customers",
        ["customer_id", "name", "region"],
        [list(r) for r in people],
    )
    case(
        "enc_utf16be_bom.csv",
        lines(*(",".join(r) for r in [header.split(","), *people])).encode("utf-16"),
        "customers",
        ["customer_id", "name", "region"],
        [list(r) for r in people],
    )

    western = [
        ("W1", "Müller GmbH", "Köln"),
        ("W2", "Café Crème", "Paris"),
        ("W3", "José Núñez", "São Paulo"),
        ("W4", "Ærø Fisk", "Århus"),
    ]
    text = lines("customer_id;name;region", *(";".join(r) for r in western), eol="\r\n")
    case(
        "enc_cp1252.csv",
        text.encode("cp1252"),
        "customers",
        ["customer_id", "name", "region"],
        [list(r) for r in western],
    )

    big5 = [("T1", "陳大文", "臺北"), ("T2", "黃小明", "高雄"), ("T3", "張國榮", "香港")]
    text = lines("customer_id,name,region", *(",".join(r) for r in big5))
    case("enc_big5.csv", text.encode("big5"), "customers", ["customer_id", "name", "region"], [list(r) for r in big5])

    rows = [("B1", "Zoë Quinn", "West"), ("B2", "Ana Lima", "East"), ("B3", "Léa Roux", "North")]
    data = b"\xef\xbb\xbf" + b"".join(
        (",".join(r) + "\n").encode("cp1252" if i == 3 else "utf-8")
        for i, r in enumerate([("customer_id", "name", "region"), *rows])
    )
    case(
        "enc_utf8_bom_one_cp1252_line.csv",
        data,
        "customers",
        ["customer_id", "name", "region"],
        [list(r) for r in rows[:2]],
        [(4, "reason_encoding")],
    )

    rare = [("R1", "𠀀𠀁集团", "华东"), ("R2", "欧元€商行", "华北"), ("R3", "普通公司", "华南")] + [
        (f"R{i}", f"公司{i}", "华东") for i in range(4, 40)
    ]
    text = lines(header, *(",".join(r) for r in rare))
    case(
        "enc_gb18030_four_byte.csv",
        text.encode("gb18030"),
        "customers",
        ["customer_id", "name", "region"],
        [list(r) for r in rare],
    )

    # A UTF-8 Windows file with GBK lines at three places and a cp1252 one.
    many = [(f"M{i}", f"名字{i}", "华东") for i in range(60)]
    odd = {10: "gbk", 25: "gbk", 40: "cp1252", 55: "gbk"}
    out = [("客户编号,客户名称,地区\r\n").encode()]
    for i, r in enumerate(many):
        line = ",".join(r if odd.get(i) != "cp1252" else (r[0], "Crème", "Nîmes")) + "\r\n"
        out.append(line.encode(odd.get(i, "utf-8")))
    case(
        "enc_utf8_crlf_mixed_lines.csv",
        b"".join(out),
        "customers",
        ["customer_id", "name", "region"],
        [list(r) for i, r in enumerate(many) if i not in odd],
        [(i + 2, "reason_encoding") for i in sorted(odd)],
    )

    # GBK whose every character is also a valid UTF-8 byte pair: read as UTF-8 it would be "Ůװ".
    cats = [("P1", "女装"), ("P2", "女鞋"), ("P3", "钱包"), ("P4", "没"), ("P5", "前台")]
    text = lines("order_id,customer_id,order_date,amount,category", *(f"{o},C1,2024-01-05,1,{c}" for o, c in cats))
    case("enc_gbk_valid_as_utf8.csv", text.encode("gbk"), "orders", ["order_id", "category"], [list(r) for r in cats])

    for tag, enc, people in (
        ("es", "cp1252", [("S1", "Señor Ibáñez"), ("S2", "Logroño")]),
        ("pt", "cp1252", [("P1", "Informação"), ("P2", "São Paulo"), ("P3", "Conceição")]),
        ("fr", "cp1252", [("F1", "Crème brûlée"), ("F2", "Ørsted"), ("F3", "naïve")]),
        ("ru", "cp1251", [("R1", "Москва"), ("R2", "Иванов Петр")]),
        ("tw", "big5", [("T1", "台灣"), ("T2", "台北市")]),
        ("jp", "cp932", [("J1", "東京"), ("J2", "株式会社"), ("J3", "山田太郎")]),
    ):
        text = lines("customer_id,name", *(f"{i},{n}" for i, n in people))
        case(f"enc_legacy_{tag}.csv", text.encode(enc), "customers", ["customer_id", "name"], [list(r) for r in people])

    # GBK shoe categories that are valid UTF-8 pairs reading as Cyrillic letters (鞋 as Ь).
    shoes = [("S1", "鞋"), ("S2", "靴"), ("S3", "鞋"), ("S4", "女装"), ("S5", "男装"), ("S6", "学校")]
    text = lines("order_id,customer_id,order_date,amount,category", *(f"{o},C1,2024-01-05,1,{c}" for o, c in shoes))
    case(
        "enc_gbk_reads_as_cyrillic.csv",
        text.encode("gbk"),
        "orders",
        ["order_id", "category"],
        [list(r) for r in shoes],
    )

    # cp1252 with Windows punctuation, and UTF-8 with letters beyond Latin-1 that real names use.
    people = [("P1", "O’Brien “Premium”"), ("P2", "Ação – São Paulo"), ("P3", "Crème brûlée €5")]
    text = lines("customer_id,name", *(f"{i},{n}" for i, n in people))
    case(
        "enc_cp1252_punctuation.csv",
        text.encode("cp1252"),
        "customers",
        ["customer_id", "name"],
        [list(r) for r in people],
    )
    people = [("U1", "Hawaiʻi"), ("U2", "Oʻzbekiston"), ("U3", "Əliyev"), ("U4", "Nguyễn Văn Ơn"), ("U5", "Ștefan")]
    text = lines("customer_id,name", *(f"{i},{n}" for i, n in people))
    case(
        "enc_utf8_rare_latin_letters.csv",
        text.encode("utf-8"),
        "customers",
        ["customer_id", "name"],
        [list(r) for r in people],
    )

    text = 'customer_id,name\r\nU1,a\u2028b\r\nU2,"q\u2028r"\r\nU3,tab\x0cfeed\r\nU4,plain\r\n'
    case(
        "enc_utf16_line_separators_in_cells.csv",
        text.encode("utf-16"),
        "customers",
        ["customer_id", "name"],
        [["U1", "a\u2028b"], ["U2", "q\u2028r"], ["U3", "tab\x0cfeed"], ["U4", "plain"]],
    )


ORDER_COLUMNS = ["order_id", "customer_id", "order_date", "amount"]


def shapes():
    rows = [
        ["A1", "C1", "2024-01-05", "10.50"],
        ["A2", "C2", "2024-01-06", "20.00"],
        ["A3", "C1", "2024-02-01", "5.25"],
    ]
    text = lines(",".join(ORDER_COLUMNS), *(",".join(r) for r in rows), eol="\r")
    case("shape_cr_only.csv", text.encode(), "orders", ORDER_COLUMNS, rows)

    data = b"customer_id,name,region\nS1,First\rline,East\nS2,Plain,West\r\nS3,Last,North\n"
    case(
        "shape_stray_cr_in_cells.csv",
        data,
        "customers",
        ["customer_id", "name", "region"],
        [["S1", "First\rline", "East"], ["S2", "Plain", "West"], ["S3", "Last", "North"]],
    )

    data = lines(
        "order_id,customer_id,order_date,amount,product",
        'I1,C1,2024-01-05,199.00,Monitor 27" wide',
        "I2,C2,2024-01-06,25.00,HDMI cable",
        'I3,C3,2024-01-07,12.00,Stand 10" high',
        "I4,C4,2024-01-08,9.00,Mouse",
    ).encode()
    case(
        "shape_inch_marks.csv",
        data,
        "orders",
        ["order_id", "product", "amount"],
        [
            ["I1", 'Monitor 27" wide', "199.00"],
            ["I2", "HDMI cable", "25.00"],
            ["I3", 'Stand 10" high', "12.00"],
            ["I4", "Mouse", "9.00"],
        ],
    )

    extra = [f"attribute_{i:05}" for i in range(4, 10_001)]
    header = ",".join(["customer_id", "order_date", "amount", *extra])
    body = [",".join([f"W{i}", "2024-03-0" + str(i), f"{i}.00", *("x" for _ in extra)]) for i in range(1, 4)]
    case(
        "shape_header_over_64k.csv",
        lines(header, *body).encode(),
        "orders",
        ["customer_id", "order_date", "amount"],
        [[f"W{i}", f"2024-03-0{i}", f"{i}.00"] for i in range(1, 4)],
    )

    # The CDNOW data set as published: header spacing unlike the rows'.
    data = lines(
        " customer_id  date number_of_cds  dollar_value",
        "00001 19970101  1   11.77",
        "00002 19970112  1   12.00",
        "00002 19970112  5   77.00",
        "00003 19970102  2   20.76",
    ).encode()
    case(
        "shape_whitespace_separated.txt",
        data,
        "orders",
        ["customer_id", "order_date", "amount"],
        [
            ["00001", "1997-01-01", "11.77"],
            ["00002", "1997-01-12", "12.00"],
            ["00002", "1997-01-12", "77.00"],
            ["00003", "1997-01-02", "20.76"],
        ],
    )

    data = lines(
        "id      name          city        amount",
        "0001    Ann Lee       New York    1 234,50",
        "0002    Bo            Paris       7",
    ).encode()
    case(
        "shape_fixed_width.txt",
        data,
        "customers",
        ["customer_id", "name", "region"],
        [["0001", "Ann Lee", None], ["0002", "Bo", None]],
        mapping={"id": "customer_id", "city": None},
    )

    # Fixed width as Chinese exports pad it (two cells a character), an empty cell, a right-aligned number wider
    # than its header, and one row whose value runs across a column boundary.
    data = lines(
        "order_id  customer_id  order_date  product      amount",
        "1         C1           2024-01-01  office desk    1.50",
        "2         C2           2024-01-02  chair     123456.50",
        "3         C3           2024-01-03  张三的椅子    123.50",
        "4         C4           2024-01-04                 9.00",
        "5         C5           2024-01-05  lamp      12345.00",
    ).encode("gbk")
    case(
        "shape_fixed_width_cjk.txt",
        data,
        "orders",
        ["order_id", "product", "amount"],
        # "office desk" runs into the amount column that "chair 123456.50" and "lamp 12345.00" place further left:
        # the cut that splits fewest lines leaves that one row unclear, and it is set aside.
        [["2", "chair", "123456.50"], ["3", "张三的椅子", "123.50"], ["4", None, "9.00"], ["5", "lamp", "12345.00"]],
        [(2, "reason_fixed_width")],
    )

    data = b"order_id,customer_id,order_date,amount\nB1,C1,2024-01-05,1\n\n\nB2,C2,never,2\n\nB3,C3,2024-01-07,3\n"
    case(
        "shape_blank_lines_between_rows.csv",
        data,
        "orders",
        ORDER_COLUMNS,
        [["B1", "C1", "2024-01-05", "1.00"], ["B3", "C3", "2024-01-07", "3.00"]],
        [(5, "reason_bad_date")],
    )

    data = (
        b'customer_id,name,region\nM1,"Two\r\nlines",East\nM2,"Three\nline\ncell",West\n'
        b"M3,too,many,fields\nM4,Fine,North\n"
    )
    case(
        "shape_multiline_cells_then_bad_row.csv",
        data,
        "customers",
        ["customer_id", "name", "region"],
        [["M1", "Two\r\nlines", "East"], ["M2", "Three\nline\ncell", "West"], ["M4", "Fine", "North"]],
        [(7, "reason_field_count")],
    )

    data = b'order_id,customer_id,order_date,amount,product\nQ1,C1,2024-01-05,1,"ok"\nQ2,C2,2024-01-06,2,"cut he'
    case(
        "shape_cut_inside_quotes.csv",
        data,
        "orders",
        ORDER_COLUMNS,
        [["Q1", "C1", "2024-01-05", "1.00"]],
        [(3, "reason_truncated")],
    )

    data = b"\n\r\norder_id,customer_id,order_date,amount\nL1,00001,2024-01-05,1\nL2,00002,never,2\n \n"
    case(
        "shape_blank_lines_before_header.csv",
        data,
        "orders",
        ORDER_COLUMNS,
        [["L1", "00001", "2024-01-05", "1.00"]],
        [(5, "reason_bad_date")],
    )

    data = "customer_id,name\n\t,Tab id\n\u200b,Zero width\nK1\t,Padded\n\u3000K2,Ideographic space\n".encode()
    case(
        "shape_ids_of_padding_only.csv",
        data,
        "customers",
        ["customer_id", "name"],
        [["K1", "Padded"], ["K2", "Ideographic space"]],
        [(2, "reason_missing"), (3, "reason_missing")],
    )

    # A quote opening a cell that never closes, mid-file: only its line is set aside.
    body = [f"U{i},C{i},2024-01-01,{i}.00,Item {i}" for i in range(1, 300)]
    body[150] = 'U151,C151,2024-01-01,151.00,"Monitor 27'
    data = lines("order_id,customer_id,order_date,amount,product", *body).encode()
    case(
        "shape_unclosed_quote_mid_file.csv",
        data,
        "orders",
        ["order_id", "amount"],
        [[f"U{i}", f"{i}.00"] for i in range(1, 300) if i != 151],
        [(152, "reason_quotes")],
    )

    # Two stray quotes that would pair up across lines and swallow the rows between them.
    data = lines(
        "order_id,customer_id,order_date,amount,product",
        'V1,C1,2024-01-01,5,"Monitor 27',
        "V2,C2,2024-01-02,6,Cable",
        'V3,C3,2024-01-03,7,Desk 30" tall',
        "V4,C4,2024-01-04,8,ok",
    ).encode()
    case(
        "shape_stray_quotes_pairing_up.csv",
        data,
        "orders",
        ["order_id", "amount", "product"],
        [["V2", "6.00", "Cable"], ["V3", "7.00", 'Desk 30" tall'], ["V4", "8.00", "ok"]],
        [(2, "reason_quotes")],
    )

    # Quotes a lax reader would drop or pair up: each broken line is set aside, the rest read as written.
    data = lines(
        "order_id,customer_id,order_date,amount,product",
        'W1,C1,2024-01-01,5,"Best" chair',
        'W2,C2,2024-01-01,5,"27"" monitor"x',
        'W3,"C"3,2024-01-01,5,ok',
        'W4,C4,2024-01-01,5,"fine, quoted"',
        'W5,C5,2024-01-01,5,Monitor 27" wide',
        "",
        'W6,C6,2024-01-01,6,"Monitor 27',
        "W7,C7,2024-01-02,7,Cable",
        'W8,C8,2024-01-03,8,Desk 30"',
        "W9,C9,2024-01-04,9,ok",
    ).encode()
    case(
        "shape_quotes_read_loosely_elsewhere.csv",
        data,
        "orders",
        ["order_id", "customer_id", "product"],
        # W6's quote closes two lines later, after W8's "Desk 30": a cell holding rows, set aside whole (lines
        # 8-10), since stray quotes and a note written like rows cannot be told apart; none becomes a row.
        [["W4", "C4", "fine, quoted"], ["W5", "C5", 'Monitor 27" wide'], ["W9", "C9", "ok"]],
        [(2, "reason_quotes"), (3, "reason_quotes"), (4, "reason_quotes"), (8, "reason_quoted_rows")],
    )

    # Fixed width whose values hold single blanks (grouped amounts, two-word names) and an empty column: the
    # whitespace reading would shift "West" into region.
    data = lines(
        "customer_id  name      region  segment",
        "C1           Ann       East    SMB",
        "C2           Bo Li             West",
        "C3           Cy        North   ENT",
    ).encode()
    case(
        "shape_fixed_width_empty_column.txt",
        data,
        "customers",
        ["customer_id", "name", "region", "segment"],
        [["C1", "Ann", "East", "SMB"], ["C2", "Bo Li", None, "West"], ["C3", "Cy", "North", "ENT"]],
    )

    # An honest note that reads like a row is never loaded as one; database NULL markers are no ids; a trailing
    # delimiter on the header or the rows and Excel's ",,,," lines are not broken rows; 1_000 is not 1000.
    data = lines(
        "order_id,customer_id,order_date,amount,note,",
        'N1,C1,2024-01-05,1.00,"Reorder. Same as last time:',
        'N0, C1, 2024-01-04, 100.00, delivered, ""on time"""',
        "N2,C2,2024-01-06,2.00,ok,",
        "\\N,C3,2024-01-07,3.00,db null",
        "NULL,C4,2024-01-08,4.00,db null",
        "N5,C5,2024-01-09,1_000,underscore",
        "N6,\\N,2024-01-10,6.00,no customer",
        ",,,,,",
        ",,,,,",
    ).encode()
    case(
        "shape_database_exports.csv",
        data,
        "orders",
        ["order_id", "customer_id", "amount"],
        [["N2", "C2", "2.00"], [None, "C3", "3.00"], [None, "C4", "4.00"]],
        [(2, "reason_quoted_rows"), (7, "reason_bad_number"), (8, "reason_missing")],
    )

    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    failure("shape_png_renamed.csv", png + bytes(range(256)), "err_not_a_table")
    failure("shape_binary_noise.csv", bytes((i * 37) % 256 for i in range(5000)), "err_not_a_table")

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(ORDER_COLUMNS)
    ws.append(["X1", "C1", datetime(2024, 1, 5, 10, 30), 12.5])
    ws.append(["X2", "C2", datetime(2024, 1, 6), 7])
    buf = io.BytesIO()
    wb.save(buf)
    ws.append([])
    ws.append(["X3", "C3", "not a date", 1])
    ws.append(["X4", "C4", "2024-01-08", "2,50"])
    later = io.BytesIO()
    wb.save(later)
    case(
        "shape_workbook_blank_row.xlsx",
        later.getvalue(),
        "orders",
        ORDER_COLUMNS,
        [["X1", "C1", "2024-01-05", "12.50"], ["X2", "C2", "2024-01-06", "7.00"], ["X4", "C4", "2024-01-08", "2.50"]],
        [(5, "reason_bad_date")],
    )
    case(
        "shape_workbook_named_csv.csv",
        buf.getvalue(),
        "orders",
        ORDER_COLUMNS,
        [["X1", "C1", "2024-01-05", "12.50"], ["X2", "C2", "2024-01-06", "7.00"]],
    )


def decimals():
    data = lines(
        "customer_id;order_date;amount",
        "D1;2024-01-05;12,50",
        "D2;2024-01-05;1.234,56",
        "D3;2024-01-05;1,234.56",
        "D4;2024-01-05;7,5",
        "D5;2024-01-05;12.5",
        "D6;2024-01-05;1.234",
    ).encode()
    case(
        "dec_comma_column_mixed.csv",
        data,
        "orders",
        ["customer_id", "amount"],
        [["D1", "12.50"], ["D2", "1234.56"], ["D3", "1234.56"], ["D4", "7.50"], ["D5", "12.50"], ["D6", "1234.00"]],
    )

    data = lines(
        "customer_id,order_date,amount",
        "E1,2024-01-05,12.50",
        'E2,2024-01-05,"1.234,56"',
        'E3,2024-01-05,"1,234.56"',
        'E4,2024-01-05,"12,5"',
        'E5,2024-01-05,"1,234"',
        'E6,2024-01-05,"1.234.567"',
        "E7,2024-01-05,8.25",
    ).encode()
    case(
        "dec_dot_column_mixed.csv",
        data,
        "orders",
        ["customer_id", "amount"],
        [
            ["E1", "12.50"],
            ["E2", "1234.56"],
            ["E3", "1234.56"],
            ["E4", "12.50"],
            ["E5", "1234.00"],
            ["E6", "1234567.00"],
            ["E7", "8.25"],
        ],
    )

    data = lines(
        "customer_id,order_date,amount",
        'F1,2024-01-05,"1,23.4"',
        "F2,2024-01-05,12 5",
        "F3,2024-01-05,1.2.3",
        'F4,2024-01-05,"1,2,3"',
        "F5,2024-01-05,9.99",
    ).encode()
    case(
        "dec_unreadable_values.csv",
        data,
        "orders",
        ["customer_id", "amount"],
        [["F5", "9.99"]],
        [(2, "reason_bad_number"), (3, "reason_bad_number"), (4, "reason_bad_number"), (5, "reason_bad_number")],
    )

    # More decimals than a cent: loaded rounded, each one reported as a warning (the row still loads).
    data = lines(
        "customer_id,order_date,amount",
        "G1,2024-01-05,12.345",
        "G2,2024-01-05,12.50",
        "G3,2024-01-05,0.125",
        "G4,2024-01-05,7",
    ).encode()
    case(
        "dec_more_than_cents.csv",
        data,
        "orders",
        ["customer_id", "amount"],
        [["G1", "12.35"], ["G2", "12.50"], ["G3", "0.13"], ["G4", "7.00"]],
        warnings=[[2, "reason_rounded"], [4, "reason_rounded"]],
    )

    data = lines(
        "customer_id\tamount\torder_date",
        "H1\t1'234.50\t2024-01-05",
        "H2\t1 234,50\t2024-01-05",
        "H3\tCHF 2'000\t2024-01-05",
        "H4\t¥1,234.50\t2024-01-05",
        "H5\t(12.00)\t2024-01-05",
    ).encode()
    case(
        "dec_grouping_styles.tsv",
        data,
        "orders",
        ["customer_id", "amount"],
        [["H1", "1234.50"], ["H2", "1234.50"], ["H3", "2000.00"], ["H4", "1234.50"], ["H5", "-12.00"]],
    )


def zones():
    shanghai, new_york = timezone(timedelta(hours=8)), timezone(timedelta(hours=-5))
    stamps = [
        datetime(2024, 1, 1, 3, 0, tzinfo=shanghai),
        datetime(2023, 12, 31, 23, 30, tzinfo=new_york),
        datetime(2024, 6, 30, 0, 15, tzinfo=shanghai),
    ]
    for unit, tz, name in (("us", "Asia/Shanghai", "shanghai"), ("ms", "UTC", "utc"), ("ns", "+08:00", "offset")):
        column = pa.array(stamps, pa.timestamp(unit, tz="UTC")).cast(pa.timestamp(unit, tz=tz))
        table = pa.table({"customer_id": ["Z1", "Z2", "Z3"], "order_date": column, "amount": [1.0, 2.0, 3.0]})
        buf = io.BytesIO()
        pq.write_table(table, buf)
        local = [s.astimezone(_zone(tz)).date().isoformat() for s in stamps]
        case(
            f"tz_parquet_{name}.parquet",
            buf.getvalue(),
            "orders",
            ["customer_id", "order_date"],
            [[f"Z{i + 1}", d] for i, d in enumerate(local)],
        )

    ns = pa.array([1704078000123456789, 1704067199999999999], pa.timestamp("ns"))
    table = pa.table(
        {
            "customer_id": ["N1", "N2"],
            "order_date": ns,
            "amount": [1.0, 2.0],
            "tags": [[1, 2], None],
            "blob": pa.array([b"\xff\x00", b"x"], pa.binary()),
        }
    )
    buf = io.BytesIO()
    pq.write_table(table, buf)
    case(
        "tz_parquet_nanoseconds_and_nested.parquet",
        buf.getvalue(),
        "orders",
        ["customer_id", "order_date"],
        [["N1", "2024-01-01"], ["N2", "2023-12-31"]],
    )

    written = [
        "2024-01-01T03:00:00+08:00",
        "2023-12-31T23:30:00-05:00",
        "2024-01-01 03:00:00Z",
        "2024-01-01 03:00:00 +0800",
        "2024/01/01 03:00 UTC",
        "2024-01-01T03:00:00+08:00[Asia/Shanghai]",
        "2024-01-01 00:30:00.123 -0800",
        "2024年1月1日 03:00 +08:00",
    ]
    data = lines("customer_id,order_date,amount", *(f"Y{i},{w},1" for i, w in enumerate(written))).encode()
    case(
        "tz_csv_written_offsets.csv",
        data,
        "orders",
        ["customer_id", "order_date"],
        [[f"Y{i}", "2023-12-31" if i == 1 else "2024-01-01"] for i in range(len(written))],
    )


def clocks():
    written = [
        ("K1", "2024-01-05 10:00 PM", "2024-01-05 22:00:00"),
        ("K2", "2024-01-05 12:30 AM", "2024-01-05 00:30:00"),
        ("K3", "2024/1/5 3:00pm", "2024-01-05 15:00:00"),
        ("K4", "2024-01-05 12:00 p.m.", "2024-01-05 12:00:00"),
        ("K5", "2024/1/5 下午 3:00:00", "2024-01-05 15:00:00"),
        ("K6", "2024年1月5日 上午9:15", "2024-01-05 09:15:00"),
        ("K7", "2024-01-05 13:00 PM", None),
    ]
    data = lines("lead_id,created_at,channel", *(f"{k},{w},Ads" for k, w, _ in written)).encode()
    case(
        "tz_twelve_hour_clocks.csv",
        data,
        "leads",
        ["lead_id", "created_at"],
        [[k, v] for k, _, v in written if v],
        [(8, "reason_bad_date")],
    )


def written_forms():
    # Month names as English exports write them, full-width digits as Chinese input methods type them.
    written = [
        ("M1", "Jan 15, 2024", "2024-01-15", "$1,234.50", "1234.50"),
        ("M2", "15-Jan-24", "2024-01-15", "(12.00)", "-12.00"),
        ("M3", "January 15, 2024 3:05 PM", "2024-01-15", "7", "7.00"),
        ("M4", "OCT 5, 2024", "2024-10-05", "１２３.５０", "123.50"),
        ("M5", "２０２４年１月５日", "2024-01-05", "－5", "-5.00"),
        ("M6", "5 August 2024", "2024-08-05", "￥１，２３４", "1234.00"),
    ]
    data = lines("customer_id\torder_date\tamount", *(f"{c}\t{d}\t{a}" for c, d, _, a, _ in written)).encode()
    case(
        "tz_month_names_and_full_width.tsv",
        data,
        "orders",
        ["customer_id", "order_date", "amount"],
        [[c, d, a] for c, _, d, _, a in written],
    )


def _zone(name: str):
    from zoneinfo import ZoneInfo

    if name.startswith(("+", "-")):
        hours, minutes = int(name[1:3]), int(name[4:6])
        delta = timedelta(hours=hours, minutes=minutes)
        return timezone(delta if name[0] == "+" else -delta)
    return ZoneInfo(name)


def main() -> None:
    for stale in HERE.iterdir():
        if stale.is_file() and stale.suffix not in (".py", ".json"):
            stale.unlink()
    encodings()
    shapes()
    decimals()
    zones()
    clocks()
    written_forms()
    text = json.dumps(CASES, ensure_ascii=False, indent=1)
    (HERE / "cases.json").write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
