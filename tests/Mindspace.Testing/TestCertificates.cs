using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Mindspace.Testing;

/// <summary>
/// Certificates for test clusters, made once per test process as PEM files (the form Kubernetes
/// mounts): a cluster CA, the cluster certificate it issued (serverAuth and clientAuth), and a
/// stranger's certificate from another CA, for showing that strangers are refused.
/// </summary>
public sealed class TestCertificates
{
    private static readonly Lazy<TestCertificates> SharedCertificates = new(Create, LazyThreadSafetyMode.ExecutionAndPublication);

    private TestCertificates(string directory) => Directory = directory;

    public static TestCertificates Shared => SharedCertificates.Value;

    public string Directory { get; }

    public string CaPath => Path.Combine(Directory, "ca.crt");

    public string ClusterCertificatePath => Path.Combine(Directory, "tls.crt");

    public string ClusterKeyPath => Path.Combine(Directory, "tls.key");

    public string StrangerCertificatePath => Path.Combine(Directory, "stranger.crt");

    public string StrangerKeyPath => Path.Combine(Directory, "stranger.key");

    private static TestCertificates Create()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"mindspace-certs-{Environment.ProcessId}");
        System.IO.Directory.CreateDirectory(directory);
        var certificates = new TestCertificates(directory);
        var now = DateTimeOffset.UtcNow;
        using var ca = CreateAuthority("Mindspace test cluster CA", now);
        using var stranger = CreateAuthority("Somebody else's CA", now);
        File.WriteAllText(certificates.CaPath, ca.ExportCertificatePem());
        Issue(ca, "mindspace-cluster", now, certificates.ClusterCertificatePath, certificates.ClusterKeyPath);
        Issue(stranger, "mindspace-cluster", now, certificates.StrangerCertificatePath, certificates.StrangerKeyPath);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                System.IO.Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
            }
        };
        return certificates;
    }

    private static X509Certificate2 CreateAuthority(string name, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(2));
    }

    /// <summary>Same subject for both leaves: only the issuer tells them apart, as with a forged look-alike.</summary>
    private static void Issue(X509Certificate2 authority, string name, DateTimeOffset now, string certificatePath, string keyPath)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        using var certificate = request.Create(authority, now.AddMinutes(-5), now.AddDays(1), RandomNumberGenerator.GetBytes(16));
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
    }
}
