using System.Globalization;
using System.Net;
using System.Text;
using Mindspace.Grains.Interfaces.Shop;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Mindspace.Gateway.Shop;

/// <summary>
/// An order's invoice, as HTML and as PDF, from the same figures: the lines (gross, tax
/// included), one tax line per rate (net, tax, gross) and the total; refunds are listed below.
/// </summary>
public sealed class InvoiceDocument(OrderView order, ShopSettings seller)
{
    public string Html()
    {
        var h = new StringBuilder();
        h.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Invoice ").Append(E(order.InvoiceNumber!)).Append("</title>");
        h.Append("<style>body{font-family:'DejaVu Sans',sans-serif;max-width:760px;margin:2em auto;color:#222}table{width:100%;border-collapse:collapse}td,th{padding:.35em;border-bottom:1px solid #ddd;text-align:left}td.n,th.n{text-align:right}</style></head><body>");
        h.Append("<h1>Invoice ").Append(E(order.InvoiceNumber!)).Append("</h1>");
        h.Append("<p>").Append(E(seller.SellerName)).Append("<br>").Append(E(seller.SellerAddress));
        if (seller.SellerVatId is { } vat)
        {
            h.Append("<br>VAT ID ").Append(E(vat));
        }

        h.Append("</p><p>Invoice date: ").Append(Date(order.InvoicedAt)).Append("<br>Order: ").Append(order.Id).Append("</p>");
        h.Append("<table><thead><tr><th>Item</th><th class=\"n\">Qty</th><th class=\"n\">Unit price</th><th class=\"n\">VAT</th><th class=\"n\">Amount</th></tr></thead><tbody>");
        foreach (var line in order.Lines)
        {
            h.Append("<tr><td>").Append(E(line.Name)).Append("</td><td class=\"n\">").Append(line.Quantity)
                .Append("</td><td class=\"n\">").Append(Money(line.UnitPrice)).Append("</td><td class=\"n\">").Append(Rate(line.TaxRateBasisPoints))
                .Append("</td><td class=\"n\">").Append(Money(line.LineTotal)).Append("</td></tr>");
        }

        h.Append("</tbody></table><h2>Tax</h2><table><thead><tr><th>Rate</th><th class=\"n\">Net</th><th class=\"n\">VAT</th><th class=\"n\">Gross</th></tr></thead><tbody>");
        foreach (var tax in order.TaxLines)
        {
            h.Append("<tr><td>").Append(Rate(tax.RateBasisPoints)).Append("</td><td class=\"n\">").Append(Money(tax.Net))
                .Append("</td><td class=\"n\">").Append(Money(tax.Tax)).Append("</td><td class=\"n\">").Append(Money(tax.Gross)).Append("</td></tr>");
        }

        h.Append("</tbody></table><p><strong>Total: ").Append(Money(order.Total)).Append("</strong> (includes VAT of ")
            .Append(Money(order.TaxLines.Sum(t => t.Tax))).Append(")<br>Paid: ").Append(Money(order.Paid)).Append("</p>");
        foreach (var refund in order.Refunds.Where(r => r.Status == RefundStatus.Succeeded))
        {
            h.Append("<p>Refunded on ").Append(Date(refund.CreatedAt)).Append(": ").Append(Money(refund.Amount)).Append("</p>");
        }

        h.Append("<p>Thank you for shopping with us.</p></body></html>");
        return h.ToString();
    }

    public byte[] Pdf()
    {
        using var document = new PdfDocument();
        document.Info.Title = $"Invoice {order.InvoiceNumber}";
        var page = document.AddPage();
        using (var gfx = XGraphics.FromPdfPage(page))
        {
            var regular = new XFont(InvoiceFonts.Family, 10, XFontStyleEx.Regular);
            var bold = new XFont(InvoiceFonts.Family, 10, XFontStyleEx.Bold);
            var title = new XFont(InvoiceFonts.Family, 18, XFontStyleEx.Bold);
            const double left = 50, right = 545;
            var y = 60.0;

            void Text(string text, XFont font, double x, double width, XStringFormat format)
                => gfx.DrawString(text, font, XBrushes.Black, new XRect(x, y, width, 14), format);

            void Row(XFont font, string item, string qty, string unit, string rate, string amount)
            {
                Text(item, font, left, 250, XStringFormats.TopLeft);
                Text(qty, font, 300, 40, XStringFormats.TopRight);
                Text(unit, font, 340, 75, XStringFormats.TopRight);
                Text(rate, font, 415, 50, XStringFormats.TopRight);
                Text(amount, font, 465, right - 465, XStringFormats.TopRight);
                y += 16;
            }

            gfx.DrawString($"Invoice {order.InvoiceNumber}", title, XBrushes.Black, new XPoint(left, y));
            y += 24;
            foreach (var line in new[] { seller.SellerName, seller.SellerAddress, seller.SellerVatId is { } vat ? $"VAT ID {vat}" : null }.OfType<string>())
            {
                Text(line, regular, left, 400, XStringFormats.TopLeft);
                y += 14;
            }

            y += 8;
            Text($"Invoice date: {Date(order.InvoicedAt)}", regular, left, 400, XStringFormats.TopLeft);
            y += 14;
            Text($"Order: {order.Id}", regular, left, 400, XStringFormats.TopLeft);
            y += 28;
            Row(bold, "Item", "Qty", "Unit price", "VAT", "Amount");
            foreach (var line in order.Lines)
            {
                Row(regular, Fit(line.Name, 45), line.Quantity.ToString(CultureInfo.InvariantCulture), Money(line.UnitPrice), Rate(line.TaxRateBasisPoints), Money(line.LineTotal));
            }

            y += 12;
            Row(bold, "Tax", string.Empty, "Net", "Rate", "VAT");
            foreach (var tax in order.TaxLines)
            {
                Row(regular, $"Gross {Money(tax.Gross)}", string.Empty, Money(tax.Net), Rate(tax.RateBasisPoints), Money(tax.Tax));
            }

            y += 12;
            Row(bold, "Total (VAT included)", string.Empty, string.Empty, string.Empty, Money(order.Total));
            Row(regular, "Paid", string.Empty, string.Empty, string.Empty, Money(order.Paid));
            foreach (var refund in order.Refunds.Where(r => r.Status == RefundStatus.Succeeded))
            {
                Row(regular, $"Refunded {Date(refund.CreatedAt)}", string.Empty, string.Empty, string.Empty, "-" + Money(refund.Amount));
            }

            y += 20;
            Text("Thank you for shopping with us.", regular, left, 400, XStringFormats.TopLeft);
        }

        using var output = new MemoryStream();
        document.Save(output, closeStream: false);
        return output.ToArray();
    }

    private string Money(long minor) => ShopRules.Format(minor, order.Currency);

    private static string Rate(int basisPoints) => (basisPoints / 100m).ToString("0.##", CultureInfo.InvariantCulture) + "%";

    private static string Date(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? string.Empty;

    private static string Fit(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
