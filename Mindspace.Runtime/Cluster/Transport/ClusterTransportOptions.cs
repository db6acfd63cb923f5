namespace Mindspace.Runtime.Cluster.Transport;

/// <summary>
/// Settings of the cluster transport, shared by the server side (<see cref="ClusterConnectionHandler"/>)
/// and the client side (<see cref="SiloConnectionPool"/>). Every silo of a cluster must use the same
/// <see cref="Secret"/> and a compatible <see cref="MaxFrameBytes"/>.
/// </summary>
public sealed class ClusterTransportOptions
{
    /// <summary>The shortest secret accepted, in bytes.</summary>
    public const int MinimumSecretBytes = 16;

    /// <summary>The smallest <see cref="MaxFrameBytes"/> accepted.</summary>
    public const int MinimumFrameBytes = 4 * 1024;

    /// <summary>
    /// The cluster secret's bytes (CLUSTER_SECRET), at least <see cref="MinimumSecretBytes"/> long.
    /// It keys the HMAC of the connection handshake and never travels.
    /// </summary>
    public required byte[] Secret { get; init; }

    /// <summary>How long opening a TCP connection to a silo may take.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long either side waits for the other's handshake frames.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The largest frame payload either side sends or accepts. A peer sending a larger frame is
    /// disconnected; a request larger than this is refused before it is sent, and a result larger
    /// than this comes back as a failure.
    /// </summary>
    public int MaxFrameBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>How many long-lived connections the client keeps to each silo (calls are spread over them).</summary>
    public int ConnectionsPerSilo { get; init; } = 1;

    /// <summary>Options whose secret is the UTF-8 encoding of <paramref name="secret"/>.</summary>
    public static ClusterTransportOptions FromSecret(string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        return new ClusterTransportOptions { Secret = System.Text.Encoding.UTF8.GetBytes(secret) };
    }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first setting out of range (never the secret's value).</summary>
    public void Validate()
    {
        if (Secret is null || Secret.Length < MinimumSecretBytes)
        {
            throw new ArgumentException(
                $"The cluster secret must be at least {MinimumSecretBytes} bytes long.", nameof(Secret));
        }

        if (ConnectTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("ConnectTimeout must be positive.", nameof(ConnectTimeout));
        }

        if (HandshakeTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("HandshakeTimeout must be positive.", nameof(HandshakeTimeout));
        }

        if (MaxFrameBytes < MinimumFrameBytes)
        {
            throw new ArgumentException($"MaxFrameBytes must be at least {MinimumFrameBytes}.", nameof(MaxFrameBytes));
        }

        if (ConnectionsPerSilo < 1)
        {
            throw new ArgumentException("ConnectionsPerSilo must be at least 1.", nameof(ConnectionsPerSilo));
        }
    }
}
