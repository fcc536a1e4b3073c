package plan

// Template is the 工作要点 an office may download from the import page and
// fill in (issue 16.4: every import page offers its template): the parts
// Parse reads — the issuer and 文号, the title in 《》, the report-back
// dates, items numbered 一、/(一), each with its duties (每季度至少1次,
// 6月底前) and its responsibility clause (责任单位, or 牵头单位 and
// 配合单位). TestTheTemplateParses keeps it readable by Parse.
const Template = `××区安全生产委员会文件
×安发〔2026〕1号
关于印发《××区安委会2026年安全生产工作要点》的通知
各街道办事处，区安委会各成员单位：
现将《××区安委会2026年安全生产工作要点》印发给你们，请认真贯彻落实。请于6月20日前和12月10日前分别将半年和全年工作完成情况报送区安委会办公室。
××区安全生产委员会
2026年1月15日
一、压实安全生产责任
(一)落实属地管理责任。每季度至少召开1次安全生产形势分析会，研究解决突出问题。(责任单位：各街道办事处)
(二)落实部门监管责任。按照“管行业必须管安全”要求，6月底前完成行业领域安全监管职责清单梳理。(牵头单位：区应急局 配合单位：区住房城乡建设局、区市场监管局)
二、深化重大事故隐患排查整治
(一)开展危险化学品安全专项整治。每月至少开展1次重点企业检查，10月底前完成全部重大危险源企业的专家指导服务。(责任单位：区应急局)
(二)开展城镇燃气安全排查。9月底前完成餐饮场所燃气泄漏报警装置安装排查。(牵头单位：区住房城乡建设局 配合单位：区市场监管局、各街道办事处)
`
