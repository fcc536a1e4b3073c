// Package docs renders the platform's printable documents: official letters
// (提醒函, 交办单, 督办通知书, 通报 …) as PDF in the layout of GB/T 9704-2012
// 《党政机关公文格式》 (版头 with the issuer in red, 文号 and the red separator;
// title, addressee, body, signature and date, 附注; 版记 with 抄送 and
// 印发机关/日期; page numbers), enforcement writs (执法文书) as forms with
// signature boxes and a 送达回执, and cards, through one layout engine
// (layout.go, paginate.go), with embedded TrueType faces (仿宋, 小标宋-like,
// 黑体) and fallback faces for what they do not print (CJK Extension A, ℃ …);
// a character no face prints is refused, never printed blank
// (REGULATIONS.md §14.8, face.go). Worksheets are written as .xlsx
// (excelize) or .csv.
//
// It knows nothing of the mechanisms: they hand it a Letter or rows.
package docs
