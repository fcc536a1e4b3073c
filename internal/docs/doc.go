// Package docs renders the platform's printable documents: official letters
// (提醒函, 交办单, 督办通知书, 整改通知 …) as PDF in the layout of GB/T 9704-2012
// 《党政机关公文格式》 (issuer header in red, 文号 under it, a red separator,
// centred title, addressee, body, signature and date), with embedded
// TrueType faces: WenQuanYi Micro Hei, and fallback faces for what it does
// not print (CJK Extension A, ℃ …); a character no face prints is refused,
// never printed blank (REGULATIONS.md §14.8, face.go). Worksheets are
// written as .xlsx (excelize) or .csv.
//
// It knows nothing of the mechanisms: they hand it a Letter or rows.
package docs
