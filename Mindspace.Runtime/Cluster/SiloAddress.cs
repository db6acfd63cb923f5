namespace Mindspace.Runtime.Cluster;

/// <summary>
/// A silo as the cluster knows it: its id (unique per process start) and the internal endpoint
/// where other members reach it.
/// </summary>
public sealed record SiloAddress(string SiloId, string Host, int Port)
{
    public string Endpoint => $"{Host}:{Port}";

    public override string ToString() => $"{SiloId}@{Endpoint}";
}
