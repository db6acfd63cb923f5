using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Unicode;

namespace Mindspace.LoadDriver;

/// <summary>
/// The requests the driver sends, as HTTP/1.1 bytes: a GET is encoded once per token; a POST carries
/// a check-in whose text is unique per request (<see cref="WriteBody"/>, the one definition of the
/// body, which the <see cref="HttpClient"/> path sends too).
/// </summary>
public sealed class CheckInRequests
{
    private const int MaxBodyBytes = 512;

    private readonly string _runId;
    private readonly byte[][] _heads;

    public CheckInRequests(Uri url, HttpMethod method, string[] authorizations, string runId)
    {
        _runId = runId;
        Method = method;
        var start = $"{method.Method} {url.PathAndQuery} HTTP/1.1\r\nHost: {url.Authority}\r\n";
        var end = method == HttpMethod.Post ? "Content-Type: application/json\r\nContent-Length: " : "\r\n";
        _heads = authorizations.Length == 0
            ? [Encoding.ASCII.GetBytes(start + end)]
            : [.. authorizations.Select(authorization => Encoding.ASCII.GetBytes($"{start}Authorization: {authorization}\r\n{end}"))];
    }

    public HttpMethod Method { get; }

    /// <summary>Writes request <paramref name="index"/> as <paramref name="token"/>'s into <paramref name="destination"/>; returns its length.</summary>
    public int Encode(Span<byte> destination, long index, int token)
    {
        var head = _heads[token % _heads.Length];
        head.CopyTo(destination);
        if (Method != HttpMethod.Post)
        {
            return head.Length;
        }

        Span<byte> body = stackalloc byte[MaxBodyBytes];
        var bodyLength = WriteBody(body, index);
        var written = head.Length;
        Utf8Formatter.TryFormat(bodyLength, destination[written..], out var digits);
        written += digits;
        "\r\n\r\n"u8.CopyTo(destination[written..]);
        written += 4;
        body[..bodyLength].CopyTo(destination[written..]);
        return written + bodyLength;
    }

    /// <summary>The check-in of request <paramref name="index"/>: unique text, moods 1–5 in turn.</summary>
    public int WriteBody(Span<byte> destination, long index)
    {
        if (!Utf8.TryWrite(destination, CultureInfo.InvariantCulture,
                $$"""{"text":"open-loop check-in {{_runId}}-{{index}}: a calm evening walk","mood":{{(index % 5) + 1}},"tags":["bench","walk"]}""",
                out var written))
        {
            throw new InvalidOperationException("the check-in body outgrew its buffer");
        }

        return written;
    }

    public byte[] Body(long index)
    {
        Span<byte> body = stackalloc byte[MaxBodyBytes];
        return body[..WriteBody(body, index)].ToArray();
    }
}
