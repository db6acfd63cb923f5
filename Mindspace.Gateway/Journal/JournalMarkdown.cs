using Markdig;
using Markdig.Renderers;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Mindspace.Gateway.Journal;

/// <summary>
/// Journal Markdown to HTML that is safe to insert into a page: CommonMark (Markdig), raw HTML
/// escaped rather than rendered, and only http, https, mailto and relative links (a
/// <c>javascript:</c> or <c>data:</c> link becomes an inert <c>#</c>).
/// </summary>
public static class JournalMarkdown
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().DisableHtml().Build();

    public static string ToSafeHtml(string markdown)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        foreach (var link in document.Descendants<LinkInline>())
        {
            if (!IsSafeUrl(link.Url))
            {
                link.Url = "#";
            }
        }

        foreach (var link in document.Descendants<AutolinkInline>())
        {
            if (!link.IsEmail && !IsSafeUrl(link.Url))
            {
                link.Url = "#";
            }
        }

        using var writer = new StringWriter();
        var renderer = new HtmlRenderer(writer);
        Pipeline.Setup(renderer);
        renderer.Render(document);
        writer.Flush();
        return writer.ToString();
    }

    private static bool IsSafeUrl(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return true;
        }

        if (!Uri.TryCreate(url.Trim(), UriKind.RelativeOrAbsolute, out var uri))
        {
            return false;
        }

        // A relative reference has no scheme; anything with a colon before its first slash is treated as one.
        if (!uri.IsAbsoluteUri)
        {
            var colon = url.IndexOf(':', StringComparison.Ordinal);
            var slash = url.IndexOfAny(['/', '?', '#']);
            return colon < 0 || (slash >= 0 && slash < colon);
        }

        return uri.Scheme is "http" or "https" or "mailto";
    }
}
