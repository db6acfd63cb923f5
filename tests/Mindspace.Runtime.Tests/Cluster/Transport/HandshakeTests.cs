using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Mindspace.Runtime.Cluster;
using Mindspace.Runtime.Cluster.Transport;

namespace Mindspace.Runtime.Tests.Cluster.Transport;

public sealed class HandshakeTests : IAsyncLifetime
{
    private readonly TestCallHandler _handler = new();
    private TransportTestServer _server = null!;

    public async Task InitializeAsync() => _server = await TransportTestServer.StartAsync(_handler);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_client_with_another_secret_is_refused_and_its_call_never_reaches_the_handler()
    {
        const string wrongSecret = "not the cluster secret, but long enough";
        await using var pool = new SiloConnectionPool(TransportTests.Options(secret: wrongSecret));

        var exception = await Assert.ThrowsAsync<CallNotSentException>(
            () => pool.SendAsync(_server.Address, TransportTests.Request("intruder"), CancellationToken.None));

        Assert.Contains(_server.Address.Endpoint, exception.Message);
        Assert.Contains("secret", exception.Message);
        Assert.DoesNotContain(wrongSecret, exception.Message);
        Assert.DoesNotContain(TransportTests.Secret, exception.Message);
        Assert.Equal(0, _handler.CallCount);
    }

    [Fact]
    public async Task After_a_refused_handshake_a_pool_with_the_right_secret_is_served()
    {
        await using (var intruder = new SiloConnectionPool(TransportTests.Options(secret: "another secret that is long enough")))
        {
            await Assert.ThrowsAsync<CallNotSentException>(
                () => intruder.SendAsync(_server.Address, TransportTests.Request("intruder"), CancellationToken.None));
        }

        await using var pool = new SiloConnectionPool(TransportTests.Options());
        var response = await pool.SendAsync(_server.Address, TransportTests.Request("member"), CancellationToken.None);

        Assert.Equal("member", TransportTests.Text(response));
        Assert.Equal("member", Assert.Single(_handler.Received).Target.Key);
    }

    [Fact]
    public async Task Connecting_where_nothing_listens_fails_with_call_not_sent()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        await using var pool = new SiloConnectionPool(TransportTests.Options());
        var nowhere = new SiloAddress("gone", "127.0.0.1", port);

        var exception = await Assert.ThrowsAsync<CallNotSentException>(
            () => pool.SendAsync(nowhere, TransportTests.Request("lost"), CancellationToken.None));

        Assert.Contains(nowhere.Endpoint, exception.Message);
        Assert.Equal(0, pool.PendingCount(nowhere));
    }

    [Fact]
    public async Task A_failed_connect_is_not_remembered_the_next_call_tries_again()
    {
        await using var pool = new SiloConnectionPool(TransportTests.Options());
        var port = _server.Port;
        await _server.CrashAsync();
        await Assert.ThrowsAsync<CallNotSentException>(
            () => pool.SendAsync(new SiloAddress("s", "127.0.0.1", port), TransportTests.Request("first"), CancellationToken.None));

        _server = await TransportTestServer.StartAsync(_handler, port: port);
        var response = await pool.SendAsync(new SiloAddress("s", "127.0.0.1", port), TransportTests.Request("second"), CancellationToken.None);

        Assert.Equal("second", TransportTests.Text(response));
    }

    [Fact]
    public async Task A_client_that_sends_no_hello_is_dropped_after_the_handshake_timeout()
    {
        await using var server = await TransportTestServer.StartAsync(_handler, new ClusterTransportOptions
        {
            Secret = Encoding.UTF8.GetBytes(TransportTests.Secret),
            HandshakeTimeout = TimeSpan.FromMilliseconds(200),
        });
        await using var silent = await RawClusterClient.ConnectAsync(server.Port);

        Assert.True(await silent.ServerClosedAsync());
    }

    [Fact]
    public async Task Bytes_that_are_not_a_hello_get_the_connection_closed()
    {
        await using var raw = await RawClusterClient.ConnectAsync(_server.Port);

        await raw.SendAsync(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));

        Assert.True(await raw.ServerClosedAsync());
        Assert.Equal(0, _handler.CallCount);
    }

    [Fact]
    public async Task A_wrong_proof_is_answered_with_a_reject_frame_and_the_connection_closes()
    {
        await using var raw = await RawClusterClient.ConnectAsync(_server.Port);

        var answer = await raw.HandshakeAsync(secret: "guessing the secret, long enough");

        Assert.Equal(FrameKind.Reject, answer);
        Assert.True(await raw.ServerClosedAsync());
    }

    [Fact]
    public async Task A_server_that_cannot_prove_it_knows_the_secret_is_not_trusted()
    {
        using var impostor = new TcpListener(IPAddress.Loopback, 0);
        impostor.Start();
        var serving = ServeImpostorAsync(impostor);
        await using var pool = new SiloConnectionPool(TransportTests.Options());
        var address = new SiloAddress("impostor", "127.0.0.1", ((IPEndPoint)impostor.LocalEndpoint).Port);

        var exception = await Assert.ThrowsAsync<CallNotSentException>(
            () => pool.SendAsync(address, TransportTests.Request("secret-stuff"), CancellationToken.None));

        Assert.Contains("prove", exception.Message);
        Assert.False(await serving.WaitAsync(TransportTests.Patience), "The client sent a request to a server that never proved itself.");
    }

    /// <summary>Accepts one connection, sends a hello and an Accept with a made-up proof; true if a request frame arrives after that.</summary>
    private static async Task<bool> ServeImpostorAsync(TcpListener listener)
    {
        using var client = await listener.AcceptTcpClientAsync();
        var stream = client.GetStream();
        var buffer = new ArrayBufferWriter<byte>();
        FrameWriter.WriteServerHello(buffer, RandomNumberGenerator.GetBytes(HandshakeProtocol.NonceSize));
        await stream.WriteAsync(buffer.WrittenMemory);
        var hello = new byte[FrameWriter.HeaderSize + HandshakeProtocol.Magic.Length + 2 + HandshakeProtocol.NonceSize + HandshakeProtocol.ProofSize];
        await stream.ReadExactlyAsync(hello);
        buffer.Clear();
        FrameWriter.WriteAccept(buffer, RandomNumberGenerator.GetBytes(HandshakeProtocol.ProofSize));
        await stream.WriteAsync(buffer.WrittenMemory);
        var next = new byte[1];
        try
        {
            return await stream.ReadAsync(next) > 0;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
