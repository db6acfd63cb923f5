using System.Text;
using Mindspace.Runtime.Cluster.Transport;
using Mindspace.Runtime.Messaging;

namespace Mindspace.Runtime.Tests.Cluster.Transport;

/// <summary>Shared settings and request builders of the transport tests.</summary>
public static class TransportTests
{
    /// <summary>Bounds a failing test; asserts no speed.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public const string Secret = "transport-tests: a cluster secret long enough";

    public static ClusterTransportOptions Options(string secret = Secret, int maxFrameBytes = 16 * 1024 * 1024, int connectionsPerSilo = 1)
        => new()
        {
            Secret = Encoding.UTF8.GetBytes(secret),
            MaxFrameBytes = maxFrameBytes,
            ConnectionsPerSilo = connectionsPerSilo,
            HandshakeTimeout = TimeSpan.FromSeconds(10),
        };

    public static GrainRequest Request(string key, byte[]? arguments = null, TimeSpan? timeout = null, IReadOnlyList<GrainId>? chain = null)
        => new(
            new GrainId("echo", key),
            "Mindspace.Tests.IEchoGrain",
            "EchoAsync(Byte[])",
            arguments ?? Encoding.UTF8.GetBytes(key),
            DateTimeOffset.UtcNow + (timeout ?? Patience),
            chain ?? []);

    public static string Text(GrainResponse response) => Encoding.UTF8.GetString(response.Result ?? []);
}
