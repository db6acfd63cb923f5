using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Mindspace.Silo.Cluster;
using Mindspace.Testing;

namespace Mindspace.Gateway.Tests.Security;

/// <summary>
/// The certificate check every member applies to its peers, on its own: pinning (no CA file) and
/// CA mode. Orleans hands the check chain errors for any private certificate, as a real handshake does.
/// </summary>
public sealed class ClusterTlsTrustTests : IDisposable
{
    private const SslPolicyErrors PrivateChain = SslPolicyErrors.RemoteCertificateChainErrors;

    private readonly X509Certificate2 _cluster = Load(TestCertificates.Shared.ClusterCertificatePath);
    private readonly X509Certificate2 _stranger = Load(TestCertificates.Shared.StrangerCertificatePath);
    private readonly X509Certificate2Collection _authorities = LoadAuthorities();

    [Fact]
    public void Pinning_trusts_exactly_the_cluster_certificate()
    {
        using var sameCertificateFromAnotherLoad = Load(TestCertificates.Shared.ClusterCertificatePath);

        Assert.True(ClusterTlsSettings.IsTrusted(sameCertificateFromAnotherLoad, PrivateChain, _cluster, authorities: null));
        Assert.True(ClusterTlsSettings.IsTrusted(sameCertificateFromAnotherLoad, PrivateChain | SslPolicyErrors.RemoteCertificateNameMismatch, _cluster, authorities: null));
    }

    [Fact]
    public void Pinning_refuses_another_certificate_with_the_same_subject()
    {
        Assert.Equal(_cluster.Subject, _stranger.Subject);

        Assert.False(ClusterTlsSettings.IsTrusted(_stranger, PrivateChain, _cluster, authorities: null));
    }

    [Fact]
    public void Pinning_refuses_a_peer_that_presented_no_certificate()
        => Assert.False(ClusterTlsSettings.IsTrusted(_cluster, SslPolicyErrors.RemoteCertificateNotAvailable, _cluster, authorities: null));

    [Fact]
    public void CA_mode_trusts_a_certificate_the_cluster_CA_issued()
        => Assert.True(ClusterTlsSettings.IsTrusted(_cluster, PrivateChain, _cluster, _authorities));

    [Fact]
    public void CA_mode_refuses_a_certificate_from_another_CA()
        => Assert.False(ClusterTlsSettings.IsTrusted(_stranger, PrivateChain, _cluster, _authorities));

    [Fact]
    public void CA_mode_refuses_a_peer_that_presented_no_certificate()
        => Assert.False(ClusterTlsSettings.IsTrusted(_cluster, SslPolicyErrors.RemoteCertificateNotAvailable, _cluster, _authorities));

    [Fact]
    public void A_stranger_is_refused_even_when_the_system_found_no_fault_with_its_certificate()
    {
        // Whom to trust is ours to decide: the system's verdict (its roots, host names) never lets a peer in.
        Assert.False(ClusterTlsSettings.IsTrusted(_stranger, SslPolicyErrors.None, _cluster, authorities: null));
        Assert.False(ClusterTlsSettings.IsTrusted(_stranger, SslPolicyErrors.None, _cluster, _authorities));
    }

    public void Dispose()
    {
        _cluster.Dispose();
        _stranger.Dispose();
        foreach (var authority in _authorities)
        {
            authority.Dispose();
        }
    }

    private static X509Certificate2 Load(string path) => X509Certificate2.CreateFromPem(File.ReadAllText(path));

    private static X509Certificate2Collection LoadAuthorities()
    {
        var authorities = new X509Certificate2Collection();
        authorities.ImportFromPemFile(TestCertificates.Shared.CaPath);
        return authorities;
    }
}
