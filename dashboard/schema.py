"""The canonical tables of the workspace (DESIGN.md section 4) and the header synonyms that map exports onto them.

Every table and column identifier used in generated SQL comes from here, never from user text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Logical field types and how the workspace stores them.
SQL_TYPES = {
    "id": "VARCHAR",
    "text": "VARCHAR",
    "date": "DATE",
    "timestamp": "TIMESTAMP",
    "month": "DATE",
    "amount": "DECIMAL(18,2)",
    "number": "DOUBLE",
    "score": "INTEGER",
}


@dataclass(frozen=True)
class Field:
    """One canonical column: its name, logical type, whether a load needs it, and header synonyms."""

    name: str
    type: str
    required: bool = False
    synonyms: tuple[str, ...] = ()
    # Ingest-only fields help derive stored ones (unit_price x quantity -> amount) and are not stored.
    stored: bool = True

    @property
    def sql_type(self) -> str:
        """DuckDB type of the stored column."""
        return SQL_TYPES[self.type]


@dataclass(frozen=True)
class Table:
    """A canonical table: its fields in order and the key that identifies a row for de-duplication."""

    name: str
    fields: tuple[Field, ...]
    key: tuple[str, ...] = ()
    signature: tuple[str, ...] = field(default=())

    def field(self, name: str) -> Field:
        """Return the field called ``name``."""
        return next(f for f in self.fields if f.name == name)

    @property
    def required(self) -> list[str]:
        """Names of the fields a load cannot do without."""
        return [f.name for f in self.fields if f.required]

    @property
    def stored_fields(self) -> list[Field]:
        """Fields that are columns of the workspace table."""
        return [f for f in self.fields if f.stored]

    def create_sql(self, name: str | None = None) -> str:
        """``CREATE TABLE`` statement for this table (optionally under another name)."""
        cols = ", ".join(f"{f.name} {f.sql_type}" for f in self.stored_fields)
        return f"CREATE TABLE IF NOT EXISTS {quote_ident(name or self.name)} ({cols})"


def quote_ident(name: str) -> str:
    """Quote an identifier for DuckDB; the one place user-influenced names become SQL identifiers."""
    return '"' + name.replace('"', '""') + '"'


def normalize_header(text: str) -> str:
    """Fold a header to the form synonyms are stored in: lower case, no spaces, underscores or punctuation."""
    return re.sub(r"[\s_\-./()（）#:：\[\]【】'\"]+", "", str(text).strip().lower())


def F(name, type_, required=False, synonyms="", stored=True):  # noqa: N802 - a compact table below
    """Build a Field; synonyms is a '|' separated list, the field's own name always included."""
    syn = {normalize_header(name)} | {normalize_header(s) for s in synonyms.split("|") if s}
    return Field(name, type_, required, tuple(sorted(syn)), stored)


CUSTOMER_ID = "customerid|custid|clientid|client|accountid|account|contactid|buyerid|memberid|userid|客户id|客户编号|客户代码|客户号|会员id|会员编号|用户id|买家id|客户"  # noqa: E501

TABLES: dict[str, Table] = {
    t.name: t
    for t in [
        Table(
            "orders",
            (
                F("order_id", "id", synonyms="orderid|orderno|ordernumber|invoiceno|invoice|invoiceid|transactionid|订单号|订单编号|订单id|单号|交易号|发票号"),  # noqa: E501
                F("customer_id", "id", True, CUSTOMER_ID),
                F("order_date", "date", True, "orderdate|date|invoicedate|purchasedate|transactiondate|orderedat|createdat|订单日期|下单时间|下单日期|日期|交易日期|成交日期|购买日期"),  # noqa: E501
                F("amount", "amount", True, "amount|sales|revenue|total|ordertotal|totalamount|netamount|value|ordervalue|salesamount|成交金额|金额|实付金额|订单金额|销售额|销售金额|实收金额|交易金额|总金额"),  # noqa: E501
                F("gross_margin", "amount", synonyms="grossmargin|margin|profit|grossprofit|毛利|毛利润|利润|毛利额"),
                F("cost", "amount", synonyms="cost|cogs|costofgoods|成本|成本金额|进货成本"),
                F("product", "text", synonyms="product|productname|item|itemname|description|sku|stockcode|产品|产品名称|商品|商品名称|货品"),  # noqa: E501
                F("category", "text", synonyms="category|productcategory|productline|subcategory|品类|类别|产品类别|商品类别|分类|类目"),  # noqa: E501
                F("sales_channel", "text", synonyms="saleschannel|shipmode|storetype|销售渠道|下单渠道|订单渠道|门店类型"),
                F("quantity", "number", synonyms="quantity|qty|units|count|数量|件数|购买数量"),
                F("unit_price", "amount", synonyms="unitprice|price|单价|价格", stored=False),
            ),
            key=("order_id", "product"),
            signature=("order_date", "amount", "order_id"),
        ),
        Table(
            "customers",
            (
                F("customer_id", "id", True, CUSTOMER_ID),
                F("name", "text", synonyms="name|customername|clientname|accountname|company|companyname|fullname|客户名称|客户姓名|姓名|名称|公司名称|企业名称"),  # noqa: E501
                F("region", "text", synonyms="region|area|province|state|territory|country|city|区域|地区|大区|省份|城市|国家"),  # noqa: E501
                F("segment", "text", synonyms="segment|customersegment|tier|type|customertype|industry|客户分层|客户类型|客户等级|细分|行业|分群"),  # noqa: E501
                F("created_at", "timestamp", synonyms="createdat|created|signupdate|registered|registrationdate|firstseen|since|createddate|注册时间|注册日期|创建时间|建档日期|开户日期"),  # noqa: E501
                F("acquisition_channel", "text", synonyms="acquisitionchannel|channel|source|leadsource|获客渠道|渠道|来源|客户来源"),  # noqa: E501
                F("referred_by", "id", synonyms="referredby|referrer|referrerid|推荐人|推荐人id|介绍人"),
                F("wallet", "amount", synonyms="wallet|walletsize|potential|annualbudget|estimatedspend|钱包|钱包份额|年采购预算|年采购潜力|潜在年消费"),  # noqa: E501
                F("credit_rating", "text", synonyms="creditrating|credit|信用等级|信用评级"),
                F("owner", "text", synonyms="owner|accountowner|salesrep|salesperson|salesagent|manager|负责人|客户经理|销售|业务员|所属销售"),  # noqa: E501
                F("phone", "text", synonyms="phone|mobile|tel|telephone|phonenumber|电话|手机|手机号|联系电话"),
                F("email", "text", synonyms="email|emailaddress|mail|邮箱|电子邮件"),
                F("wechat", "text", synonyms="wechat|weixin|wechatid|微信|微信号"),
            ),
            key=("customer_id",),
            signature=("name", "region", "segment", "phone", "email", "wallet"),
        ),
        Table(
            "leads",
            (
                F("lead_id", "id", True, "leadid|leadno|leadnumber|prospectid|opportunityid|线索id|线索编号|商机编号|商机id"),
                F("created_at", "timestamp", True, "createdat|created|createddate|leaddate|date|engagedate|创建时间|创建日期|线索日期|录入时间|获取时间"),  # noqa: E501
                F("channel", "text", True, "channel|leadsource|source|origin|leadorigin|utmsource|线索来源|渠道|来源|获客渠道"),
                F("campaign", "text", synonyms="campaign|campaignname|utmcampaign|活动|营销活动|活动名称|推广计划"),
                F("stage", "text", synonyms="stage|status|leadstage|dealstage|leadstatus|converted|阶段|状态|线索状态|商机阶段|是否转化|是否成交"),  # noqa: E501
                F("converted_at", "timestamp", synonyms="convertedat|converteddate|conversiondate|wondate|closedate|成交时间|转化时间|成交日期|转化日期"),  # noqa: E501
                F("customer_id", "id", synonyms=CUSTOMER_ID),
                F("deal_value", "amount", synonyms="dealvalue|closevalue|dealamount|opportunityamount|expectedrevenue|成交金额|商机金额|预计金额"),  # noqa: E501
                F("lost_reason", "text", synonyms="lostreason|reason|丢单原因|失败原因|流失原因"),
                F("owner", "text", synonyms="owner|salesagent|salesrep|leadowner|负责人|销售|跟进人"),
                F("referred_by", "id", synonyms="referredby|referrer|推荐人|介绍人"),
            ),
            key=("lead_id",),
            signature=("lead_id", "channel", "stage", "converted_at", "campaign"),
        ),
        Table(
            "ad_spend",
            (
                F("month", "month", True, "month|date|period|spenddate|月份|日期|投放月份|期间"),
                F("channel", "text", True, "channel|source|platform|medium|渠道|投放渠道|平台|媒体"),
                F("spend", "amount", True, "spend|cost|adspend|amountspent|budget|消耗|花费|投放金额|广告费|费用|成本"),
                F("campaign", "text", synonyms="campaign|campaignname|活动|推广计划|计划名称"),
                F("impressions", "number", synonyms="impressions|impr|views|展现|展示量|曝光|曝光量"),
                F("clicks", "number", synonyms="clicks|点击|点击量"),
            ),
            key=("month", "channel", "campaign"),
            signature=("spend", "impressions", "clicks"),
        ),
        Table(
            "nps",
            (
                F("response_id", "id", synonyms="responseid|surveyid|id|问卷编号|答卷编号"),
                F("customer_id", "id", synonyms=CUSTOMER_ID),
                F("responded_at", "timestamp", True, "respondedat|responsedate|surveydate|date|submittedat|答卷时间|调研日期|提交时间|填写时间|日期"),  # noqa: E501
                F("score", "score", True, "score|npsscore|rating|likelihoodtorecommend|recommend|评分|推荐值|推荐意愿|打分|分数"),  # noqa: E501
                F("comment", "text", synonyms="comment|comments|feedback|verbatim|reason|评论|意见|反馈|备注|原因"),
                F("touchpoint", "text", synonyms="touchpoint|channel|surveytype|接触点|触点|场景"),
            ),
            key=("response_id",),
            signature=("score", "touchpoint", "responded_at"),
        ),
        Table(
            "referrals",
            (
                F("referrer_id", "id", True, "referrerid|referrer|referredby|推荐人|推荐人id|推荐人编号|介绍人"),
                F("referred_at", "timestamp", True, "referredat|referraldate|date|推荐时间|推荐日期|日期"),
                F("referred_customer_id", "id", synonyms="referredcustomerid|referredcustomer|newcustomerid|被推荐人|被推荐客户|被推荐人id|新客户id"),  # noqa: E501
                F("referred_lead_id", "id", synonyms="referredleadid|leadid|线索id|被推荐线索"),
            ),
            key=("referrer_id", "referred_customer_id", "referred_lead_id", "referred_at"),
            signature=("referrer_id", "referred_at"),
        ),
        Table(
            "interactions",
            (
                F("customer_id", "id", True, CUSTOMER_ID),
                F("occurred_at", "timestamp", True, "occurredat|date|datetime|time|activitydate|contactdate|互动时间|联系时间|跟进时间|时间|日期"),  # noqa: E501
                F("kind", "text", True, "kind|type|activitytype|interactiontype|method|互动类型|类型|跟进方式|联系方式"),
                F("direction", "text", synonyms="direction|inout|方向|呼入呼出"),
                F("owner", "text", synonyms="owner|salesrep|agent|负责人|跟进人|销售"),
                F("note", "text", synonyms="note|notes|summary|备注|内容|跟进内容|纪要"),
            ),
            key=(),
            signature=("occurred_at", "kind", "direction"),
        ),
        Table(
            "tickets",
            (
                F("ticket_id", "id", True, "ticketid|ticketno|caseid|caseno|工单号|工单编号|投诉编号|工单id"),
                F("customer_id", "id", True, CUSTOMER_ID),
                F("opened_at", "timestamp", True, "openedat|createdat|opendate|createddate|date|创建时间|受理时间|投诉时间|开单时间"),  # noqa: E501
                F("resolved_at", "timestamp", synonyms="resolvedat|closedat|resolveddate|closedate|解决时间|关闭时间|结案时间"),
                F("kind", "text", synonyms="kind|type|category|tickettype|工单类型|类型|问题类型"),
                F("satisfaction", "number", synonyms="satisfaction|csat|rating|满意度|评价"),
            ),
            key=("ticket_id",),
            signature=("ticket_id", "opened_at", "resolved_at"),
        ),
    ]
}

TABLE_NAMES = list(TABLES)
