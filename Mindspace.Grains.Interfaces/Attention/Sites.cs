using System.Globalization;
using System.Net;

namespace Mindspace.Grains.Interfaces.Attention;

/// <summary>
/// What Mindspace keeps of a web address: its registrable domain ("www.bbc.co.uk" → "bbc.co.uk"),
/// found with the Public Suffix List embedded beside this file (MPL-2.0, see PublicSuffix/NOTICE.md).
/// IP addresses and single-label hosts (localhost) are kept as they are.
/// </summary>
public static class Sites
{
    public const int MaxHostLength = 253;

    private static readonly IdnMapping Idn = new();
    private static readonly Lazy<PublicSuffixRules> Rules = new(PublicSuffixRules.LoadEmbedded);

    /// <summary>
    /// The registrable domain of <paramref name="siteOrUrl"/>: a host ("m.youtube.com") or an
    /// http(s) URL. Null when it is neither.
    /// </summary>
    public static string? ToSite(string? siteOrUrl)
    {
        if (ToHost(siteOrUrl) is not { } host)
        {
            return null;
        }

        return RegistrableDomain(host);
    }

    /// <summary>The lower-case ASCII (punycode) host of a host name or http(s) URL; null when it is neither.</summary>
    public static string? ToHost(string? siteOrUrl)
    {
        if (string.IsNullOrWhiteSpace(siteOrUrl) || siteOrUrl.Length > 2_048)
        {
            return null;
        }

        var text = siteOrUrl.Trim();
        string host;
        if (text.Contains("://", StringComparison.Ordinal))
        {
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                return null;
            }

            host = uri.IdnHost;
        }
        else
        {
            host = text.TrimEnd('.');
            if (host.Contains('/') || host.Contains(':') && !IPAddress.TryParse(host, out _))
            {
                return null;
            }
        }

        host = host.Trim('[', ']').TrimEnd('.').ToLowerInvariant();
        if (host.Length is 0 or > MaxHostLength)
        {
            return null;
        }

        if (IPAddress.TryParse(host, out _))
        {
            return host;
        }

        try
        {
            host = Idn.GetAscii(host);
        }
        catch (ArgumentException)
        {
            return null;
        }

        return Uri.CheckHostName(host) == UriHostNameType.Dns ? host : null;
    }

    /// <summary>The registrable domain of an ASCII host (the host itself when it is an IP, one label, or a public suffix).</summary>
    public static string RegistrableDomain(string host)
    {
        if (IPAddress.TryParse(host, out _) || !host.Contains('.'))
        {
            return host;
        }

        var labels = host.Split('.');
        var suffixLabels = Rules.Value.SuffixLabelCount(labels);
        return suffixLabels >= labels.Length ? host : string.Join('.', labels[^(suffixLabels + 1)..]);
    }

    /// <summary>Whether <paramref name="host"/> is <paramref name="domain"/> or one of its subdomains.</summary>
    public static bool IsWithin(string host, string domain)
        => host.Length == domain.Length
            ? string.Equals(host, domain, StringComparison.Ordinal)
            : host.Length > domain.Length && host.EndsWith(domain, StringComparison.Ordinal) && host[host.Length - domain.Length - 1] == '.';

    /// <summary>The rules of the Public Suffix List: plain, wildcard ("*.ck") and exception ("!www.ck").</summary>
    private sealed class PublicSuffixRules(HashSet<string> plain, HashSet<string> wildcards, HashSet<string> exceptions)
    {
        public static PublicSuffixRules LoadEmbedded()
        {
            using var stream = typeof(Sites).Assembly.GetManifestResourceStream("Mindspace.PublicSuffixList")
                ?? throw new InvalidOperationException("The embedded Public Suffix List is missing.");
            using var reader = new StreamReader(stream);
            HashSet<string> plain = new(StringComparer.Ordinal), wildcards = new(StringComparer.Ordinal), exceptions = new(StringComparer.Ordinal);
            while (reader.ReadLine() is { } line)
            {
                var rule = line.Trim();
                if (rule.Length == 0 || rule.StartsWith("//", StringComparison.Ordinal))
                {
                    continue;
                }

                var space = rule.IndexOfAny([' ', '\t']);
                if (space > 0)
                {
                    rule = rule[..space];
                }

                if (rule.StartsWith('!'))
                {
                    exceptions.Add(Ascii(rule[1..]));
                }
                else if (rule.StartsWith("*.", StringComparison.Ordinal))
                {
                    wildcards.Add(Ascii(rule[2..]));
                }
                else
                {
                    plain.Add(Ascii(rule));
                }
            }

            return new PublicSuffixRules(plain, wildcards, exceptions);
        }

        /// <summary>How many trailing labels of the host form its public suffix (at least 1: the default rule "*").</summary>
        public int SuffixLabelCount(string[] labels)
        {
            var best = 1;
            for (var take = 1; take <= labels.Length; take++)
            {
                var candidate = string.Join('.', labels[^take..]);
                if (exceptions.Contains(candidate))
                {
                    return take - 1;
                }

                if (plain.Contains(candidate))
                {
                    best = Math.Max(best, take);
                }

                if (take < labels.Length && wildcards.Contains(candidate))
                {
                    best = Math.Max(best, take + 1);
                }
            }

            return best;
        }

        private static string Ascii(string rule)
        {
            try
            {
                return Idn.GetAscii(rule.ToLowerInvariant());
            }
            catch (ArgumentException)
            {
                return rule.ToLowerInvariant();
            }
        }
    }
}
