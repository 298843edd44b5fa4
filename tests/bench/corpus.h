/* corpus.h — Chinese text for the bench data set: customers, contacts,
 * complaints, investigation reports, decisions and replies of a
 * manufacturer, built from phrase banks so that the vocabulary is varied
 * (thousands of distinct words, digits, part and order numbers) and the
 * lengths are those of real forms (a subject of 6–20 characters, a
 * complaint of 60–400, report paragraphs of 20–200). Header-only. */
#ifndef KESU_BENCH_CORPUS_H
#define KESU_BENCH_CORPUS_H

#include <stdarg.h>
#include "bench.h"

/* A growing string. */
typedef struct sbuf {
	char *p;
	size_t n, cap;
} sbuf;

static inline void sb_add(sbuf *b, const char *s)
{
	size_t k = strlen(s);
	if (b->n + k + 1 > b->cap) {
		b->cap = (b->n + k + 1) * 2 + 64;
		b->p = realloc(b->p, b->cap);
		if (!b->p)
			abort();
	}
	memcpy(b->p + b->n, s, k + 1);
	b->n += k;
}

__attribute__((format(printf, 2, 3))) static inline void sb_addf(sbuf *b, const char *fmt, ...)
{
	char tmp[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	sb_add(b, tmp);
}

/* The string (caller frees); b is empty afterwards. */
static inline char *sb_take(sbuf *b)
{
	char *p = b->p ? b->p : strdup("");
	b->p = NULL;
	b->n = b->cap = 0;
	return p;
}

static const char *const c_city[] = {
	"苏州", "杭州", "宁波", "无锡", "常州", "深圳", "东莞", "佛山", "厦门", "青岛", "天津", "成都",
	"武汉", "长沙", "合肥", "南京", "上海", "北京", "重庆", "西安", "郑州", "济南", "温州", "台州",
	"嘉兴", "绍兴", "昆山", "中山", "珠海", "惠州", "泉州", "福州", "南通", "扬州", "镇江", "烟台",
	"潍坊", "大连", "沈阳", "长春", "石家庄", "太原", "南昌", "贵阳", "昆明", "南宁", "芜湖", "义乌",
};
static const char *const c_brand1[] = {
	"恒", "华", "金", "宏", "鑫", "永", "瑞", "德", "正", "新", "天", "东", "嘉", "博", "精", "盛",
	"汇", "联", "泰", "安", "中", "宇", "凯", "鸿", "信", "达", "明", "福", "海", "祥", "和", "立",
};
static const char *const c_brand2[] = {
	"达", "丰", "诚", "远", "源", "信", "胜", "通", "宇", "科", "美", "力", "兴", "川", "邦", "创",
	"威", "星", "润", "峰", "辉", "泽", "航", "腾", "耀", "隆", "晟", "锐", "卓", "益", "顺", "光",
};
static const char *const c_trade[] = {
	"电子", "五金", "电器", "塑胶", "精密机械", "汽车零部件", "包装", "光电", "医疗器械", "家居",
	"照明", "电机", "模具", "新材料", "通信设备", "智能装备", "环保设备", "液压", "仪表", "纺织机械",
	"厨具", "电线电缆", "工具", "新能源", "机电", "金属制品", "橡塑", "印刷", "玩具", "卫浴",
};
static const char *const c_suffix[] = {
	"有限公司", "股份有限公司", "科技有限公司", "制造有限公司", "实业有限公司", "贸易有限公司",
	"工业有限公司", "集团有限公司",
};
static const char *const c_foreign1[] = {
	"Nordic", "Alpine", "Pacific", "Atlas", "Baltic", "Delta", "Summit", "Vertex", "Orion", "Helios",
	"Iberia", "Danube", "Rhine", "Kestrel", "Meridian", "Polar", "Sierra", "Tasman", "Vega", "Zenith",
};
static const char *const c_foreign2[] = {
	"Pack", "Tools", "Electric", "Components", "Motors", "Home", "Industrial", "Lighting", "Trading",
	"Systems", "Devices", "Supply", "Plastics", "Metals", "Instruments",
};
static const char *const c_foreign3[] = {
	"AB", "GmbH", "Ltd", "Inc.", "S.A.", "B.V.", "S.r.l.", "Oy", "A/S", "Pty Ltd", "LLC", "K.K.",
};
static const char *const c_surname[] = {
	"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
	"何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
	"肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁",
	"任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金", "石", "廖", "贾", "夏",
};
static const char *const c_given[] = {
	"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超",
	"秀英", "华", "平", "刚", "桂英", "玉兰", "建华", "建国", "志强", "海燕", "晓东", "文博", "子涵",
};
static const char *const c_title[] = {
	"工", "经理", "主管", "小姐", "先生", "科长", "总", "主任", "工程师",
};
static const char *const c_product[] = {
	"外壳注塑件", "纸箱", "说明书", "电源适配器", "线束", "接插件", "五金冲压件", "铝合金压铸件",
	"微型电机", "深沟球轴承", "O 型密封圈", "PCB 板", "主控板", "液晶显示屏", "硅胶按键", "压缩弹簧",
	"自攻螺丝", "塑料齿轮", "电磁阀", "塑料盖", "铭牌标签", "PE 包装袋", "EPE 泡沫内衬", "木托盘",
	"散热风扇", "铝散热片", "环形变压器", "继电器", "温度传感器", "锂电池组", "充电器", "电源线",
	"不锈钢管件", "法兰盘", "橡胶垫片", "钢化玻璃面板", "光学镜片", "灰铁铸件", "焊接支架",
	"喷涂门板", "电镀把手", "控制柜", "滤网", "水泵叶轮", "电热管", "遥控器", "LED 灯条", "导光板",
};
static const char *const c_defect[] = {
	"开裂", "尺寸偏差", "印刷错误", "变形", "划伤", "色差", "毛刺", "漏装", "错装", "氧化生锈",
	"异响", "功能失效", "短路", "断裂", "气泡", "缩水", "脱漆", "漏水", "松动", "批次混料",
	"标识不清", "包装破损", "数量短缺", "表面污染", "焊接不良", "虚焊", "电压不稳", "噪音超标",
	"耐压测试不合格", "表面凹陷", "螺纹滑牙", "装配干涉", "发热严重", "绝缘不良", "密封不严",
};
static const char *const c_nonquality[] = {
	"送货延误", "服务态度差", "发票开错", "报价不一致", "交期变更未通知", "账款核对有差异",
	"售后响应慢", "物流途中破损", "随货单据遗漏", "对接人员频繁更换", "样品寄送错误", "合同条款争议",
};
static const char *const c_stage[] = {
	"装配", "来料检验", "上线试产", "出货检验", "终端使用", "仓库盘点", "老化测试", "包装入库",
};
static const char *const c_extra[] = {
	"客户要求我方在三天内给出书面答复。",
	"现场已封存不良品，待我方派人确认。",
	"客户产线因此停线，影响其对下游的交付。",
	"此前同类问题已发生过一次，客户对此非常不满。",
	"附件为客户提供的照片和检验报告，请调查部门查阅。",
	"客户质量部要求提供 8D 报告并说明临时措施。",
	"经初步核对，问题集中在同一生产日期的产品。",
	"客户表示如不能妥善处理，将考虑更换供应商。",
	"客户已自行挑选，挑选工时费用要求由我方承担。",
	"不良品目前在客户仓库，可安排退回我司分析。",
	"业务员已到现场查看，情况属实。",
	"客户希望我方派技术人员到现场指导。",
	"本批货物为加急订单，客户对交期也有意见。",
	"客户终端用户已有投诉，影响客户声誉。",
	"客户要求后续批次加严检验并附出货检验报告。",
	"据客户反映，开箱时即发现外包装有挤压痕迹。",
	"同一订单的其余批次暂未发现问题。",
	"客户采购部同时对价格提出了异议。",
};
static const char *const c_cause[] = {
	"模具冷却水路堵塞，局部应力集中",
	"来料批次硬度偏低，供应商未按规格供货",
	"作业员未按作业指导书操作，首件检验漏检",
	"检验标准未及时更新，关键尺寸公差放宽",
	"注塑机保压参数漂移，超出工艺范围",
	"包装设计未考虑长途运输的堆码强度",
	"供应商变更原料未通知我方",
	"焊接温度设定偏低，焊点润湿不良",
	"新员工培训不足，装配顺序错误",
	"设备点检未落实，定位销磨损",
	"印前校对流程缺失，稿件版本错误",
	"仓储环境湿度过高，金属件受潮生锈",
	"冲压模具刃口磨损，产生毛刺",
	"测试程序版本错误，未测出功能缺陷",
	"外协厂工序变更未经评审",
	"物流承运商装卸不当",
};
static const char *const c_dept_unit[] = {
	"注塑一课", "注塑二课", "冲压课", "装配一课", "装配二课", "焊接课", "喷涂课", "包装课",
	"品检组", "仓储组", "采购课", "物流组", "SMT 车间", "压铸车间",
};
static const char *const c_shift[] = { "A 班", "B 班", "C 班", "早班", "中班", "夜班" };
static const char *const c_conclusion[] = {
	"属我方质量问题", "属供应商来料问题", "属客户使用不当", "属运输过程损坏",
	"属我方与供应商共同责任", "原因已查明，属偶发问题", "属设计缺陷，需工程变更",
	"属检验漏失，生产过程正常", "客户反映情况部分属实",
};
static const char *const c_counter[] = {
	"清理水路，更换顶针；不良品全数换货",
	"对库存品全数挑选，不良品隔离报废",
	"调整工艺参数并重新验证，首件确认后恢复生产",
	"通知供应商退换来料并索赔",
	"补发短缺数量，并由专人跟踪到货",
	"重新印刷说明书并随下批货物补发",
	"派技术人员到客户现场协助挑选和返工",
	"加严出货检验，抽样方案由一般Ⅱ级改为加严",
	"更换包装方案，增加纸护角和缠绕膜",
	"对责任人进行再培训并考核上岗",
};
static const char *const c_prevent[] = {
	"模具保养周期由 30 天缩短为 15 天",
	"将该尺寸列为关键控制项目，每两小时抽检一次",
	"修订作业指导书并在工位张贴",
	"建立供应商变更通知制度，纳入采购合同",
	"新增出货前功能全检工序",
	"每月开展一次质量案例培训",
	"设备点检表增加定位销磨损检查项",
	"导入防错治具，杜绝漏装错装",
	"仓库加装除湿机并记录温湿度",
	"印刷稿件实行双人校对和签样制度",
};
static const char *const c_decision[] = {
	"同意全数换货，运费由我方承担",
	"同意按不良数量折让",
	"同意赔偿客户挑选工时费用",
	"同意退货，货款从下期结算中扣除",
	"不同意赔偿，按合同条款维持原处理",
	"同意补发，并向客户书面致歉",
	"同意按损失金额的一半赔偿，其余由责任单位承担",
	"同意处理方案，责任单位按规定考核",
};
static const char *const c_answer[] = {
	"已电话告知客户，客户同意换货",
	"已书面函复客户，说明原因和改善措施",
	"客户接受折让方案，后续订单正常",
	"客户对处理结果表示满意",
	"客户认为赔偿金额偏低，要求再议",
	"已寄送 8D 报告，客户确认收到",
	"客户要求下批货物附出货检验报告，已同意",
};
static const char *const c_reject[] = {
	"非本公司产品，经核对唛头属其他厂家",
	"重复投诉，已并入前案处理",
	"超出保修期且属正常磨损",
	"客户已撤回投诉",
	"属价格谈判，不属于客诉范围，转业务部处理",
};
static const char *const c_return[] = {
	"调查不充分，请补充失效分析数据",
	"责任认定不清，请会同供应商再查",
	"对策不具体，请明确完成时间和负责人",
	"损失金额依据不足，请附计算明细",
};
static const char *const c_reopen[] = {
	"客户不接受答复，要求重新调查",
	"同类问题再次发生，原对策无效",
	"客户提供了新的证据，需要重新认定责任",
	"客户追加索赔，需重新评估损失",
};

static inline void gen_person(rng *r, sbuf *b)
{
	sb_add(b, PICK(r, c_surname));
	if (rng_chance(r, 0.5))
		sb_add(b, PICK(r, c_title));
	else
		sb_add(b, PICK(r, c_given));
}

static inline char *gen_customer(rng *r, int foreign)
{
	sbuf b = {0};
	if (foreign) {
		sb_addf(&b, "%s %s %s", PICK(r, c_foreign1), PICK(r, c_foreign2), PICK(r, c_foreign3));
	} else {
		if (rng_chance(r, 0.8))
			sb_add(&b, PICK(r, c_city));
		sb_add(&b, PICK(r, c_brand1));
		sb_add(&b, PICK(r, c_brand2));
		sb_add(&b, PICK(r, c_trade));
		sb_add(&b, PICK(r, c_suffix));
	}
	return sb_take(&b);
}

static inline char *gen_contact(rng *r, int foreign)
{
	sbuf b = {0};
	if (foreign) {
		static const char *const first[] = { "anna", "lars", "maria", "john", "erik", "sofia", "paul", "eva" };
		static const char *const dom[] = { "example.com", "example.net", "example.org" };
		sb_addf(&b, "%s.%c%ld@%s", PICK(r, first), (char)('a' + rng_below(r, 26)), rng_range(r, 1, 99),
		        PICK(r, dom));
		return sb_take(&b);
	}
	switch (rng_below(r, 3)) {
	case 0:
		sb_addf(&b, "0%ld-%04ld %04ld ", rng_range(r, 510, 799), rng_range(r, 1000, 9999), rng_range(r, 0, 9999));
		gen_person(r, &b);
		break;
	case 1:
		sb_addf(&b, "1%ld%08ld", rng_range(r, 30, 99), rng_range(r, 0, 99999999));
		break;
	default:
		gen_person(r, &b);
		sb_addf(&b, " 1%ld-%04ld-%04ld", rng_range(r, 30, 99), rng_range(r, 0, 9999), rng_range(r, 0, 9999));
	}
	return sb_take(&b);
}

/* The complaint text for product/defect (quality) or issue (non-quality). */
static inline char *gen_detail(rng *r, int quality, const char *product, const char *defect,
                               const char *issue, long qty)
{
	sbuf b = {0};
	if (quality) {
		sb_addf(&b, "第 %ld 批%s在客户%s时发现%s，", rng_range(r, 1000, 9999), product, PICK(r, c_stage),
		        defect);
		if (qty > 0)
			sb_addf(&b, "该批共 %ld 件，约 %ld%% 不良。", qty, rng_range(r, 1, 30));
		else
			sb_add(&b, "不良数量客户尚在统计。");
	} else {
		sb_addf(&b, "客户反映%s：约定 %ld 月 %ld 日的事项未按约定办理，", issue, rng_range(r, 1, 12),
		        rng_range(r, 1, 28));
		sb_add(&b, "客户联系人");
		gen_person(r, &b);
		sb_add(&b, "对此意见较大。");
	}
	long extra = rng_range(r, 0, 6);
	for (long i = 0; i < extra; i++)
		sb_add(&b, PICK(r, c_extra));
	return sb_take(&b);
}

static inline char *gen_pick2(rng *r, const char *const *a, size_t na, int max)
{
	sbuf b = {0};
	long k = rng_range(r, 1, max);
	for (long i = 0; i < k; i++) {
		if (i)
			sb_add(&b, "；");
		sb_add(&b, a[rng_below(r, (long)na)]);
	}
	return sb_take(&b);
}
#define GEN_PICKS(r, arr, max) gen_pick2((r), (arr), sizeof(arr) / sizeof *(arr), (max))

/* The investigation's account; when is about when it was written. */
static inline char *gen_process(rng *r, const char *defect, time_t when)
{
	sbuf b = {0};
	long n = rng_range(r, 5, 50);
	sb_addf(&b, "抽检留样 %ld 件，复现%s %ld 件。", n, defect, rng_range(r, 0, n));
	if (rng_chance(r, 0.6)) {
		struct tm tm;
		time_t t = when - 86400 * rng_range(r, 7, 120) + 8 * 3600;
		gmtime_r(&t, &tm);
		sb_addf(&b, "追溯生产记录，涉及 %d 年 %d 月 %d 日 %s生产的产品。", tm.tm_year + 1900, tm.tm_mon + 1,
		        tm.tm_mday, PICK(r, c_shift));
	}
	if (rng_chance(r, 0.5))
		sb_add(&b, "库存品已全数隔离待判。");
	if (rng_chance(r, 0.3))
		sb_add(&b, "会同供应商对来料进行了复检。");
	return sb_take(&b);
}

static inline char *gen_responsible(rng *r)
{
	sbuf b = {0};
	sb_addf(&b, "%s %s ", PICK(r, c_dept_unit), PICK(r, c_shift));
	gen_person(r, &b);
	return sb_take(&b);
}

#endif
