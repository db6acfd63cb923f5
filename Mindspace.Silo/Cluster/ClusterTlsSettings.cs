using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using Orleans.Connections.Security;

namespace Mindspace.Silo.Cluster;

/// <summary>
/// The certificate every member of the cluster presents (silo to silo and client to silo), as PEM
/// files the way Kubernetes mounts a TLS secret (<c>tls.crt</c>, <c>tls.key</c>, optional <c>ca.crt</c>).
/// </summary>
/// <remarks>
/// Whom to trust is decided deliberately, never "accept anything": with <see cref="CaPath"/> a peer
/// must present a certificate that chains to a CA in that file alone (the system's roots are not consulted);
/// without it the cluster certificate is pinned: a peer must present exactly the certificate this
/// member holds. Host names are not checked: members dial IP addresses and Orleans names no target host.
/// </remarks>
public sealed record ClusterTlsSettings(string CertificatePath, string KeyPath, string? CaPath)
{
    public const string CertificateKey = "CLUSTER_TLS_CERT";
    public const string PrivateKeyKey = "CLUSTER_TLS_KEY";
    public const string CaKey = "CLUSTER_TLS_CA";

    /// <summary>A refused handshake fails this fast instead of Orleans' default.</summary>
    public static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(5);

    public static ClusterTlsSettings From(IConfiguration configuration)
    {
        var certificate = configuration[CertificateKey];
        var key = configuration[PrivateKeyKey];
        if (string.IsNullOrWhiteSpace(certificate) || string.IsNullOrWhiteSpace(key))
        {
            throw new InvalidOperationException(
                $"{CertificateKey} and {PrivateKeyKey} must name the cluster certificate and its key (PEM files) when {SiloSettings.DatabaseUrlKey} is set: " +
                "every silo and gateway authenticates the others with it (deploy/local/cluster.sh makes a development pair).");
        }

        return new ClusterTlsSettings(certificate.Trim(), key.Trim(), configuration[CaKey] is { Length: > 0 } ca ? ca.Trim() : null);
    }

    /// <summary>Loads the certificate and CA and fills Orleans' TLS options: mutual authentication, checked as described above.</summary>
    public void Apply(TlsOptions options)
    {
        var certificate = LoadCertificate();
        var authorities = CaPath is null ? null : LoadAuthorities();
        options.LocalCertificate = certificate;
        options.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.HandshakeTimeout = HandshakeTimeout;
        options.RemoteCertificateValidation = (remote, _, errors) => IsTrusted(remote, errors, certificate, authorities);
    }

    /// <summary>The check itself, apart from Orleans so it can be tested directly.</summary>
    public static bool IsTrusted(X509Certificate2 remote, SslPolicyErrors errors, X509Certificate2 clusterCertificate, X509Certificate2Collection? authorities)
    {
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return false;
        }

        if (authorities is null)
        {
            return remote.RawDataMemory.Span.SequenceEqual(clusterCertificate.RawDataMemory.Span);
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(remote);
    }

    private X509Certificate2 LoadCertificate()
    {
        try
        {
            using var pem = X509Certificate2.CreateFromPemFile(CertificatePath, KeyPath);

            // Exported and re-imported so the private key is usable by SslStream on every platform.
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new InvalidOperationException(
                $"The cluster certificate could not be loaded from {CertificateKey}='{CertificatePath}' and {PrivateKeyKey}='{KeyPath}': {exception.Message}", exception);
        }
    }

    /// <summary>Every certificate in the CA file: during a CA rotation it holds the old and the new one, so members can be restarted one at a time.</summary>
    private X509Certificate2Collection LoadAuthorities()
    {
        try
        {
            var authorities = new X509Certificate2Collection();
            authorities.ImportFromPemFile(CaPath!);
            return authorities.Count > 0 ? authorities : throw new InvalidOperationException($"{CaKey}='{CaPath}' holds no certificate.");
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new InvalidOperationException($"The cluster CA could not be loaded from {CaKey}='{CaPath}': {exception.Message}", exception);
        }
    }
}
