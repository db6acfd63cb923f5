using Mindspace.ClusterBench;

// Modes (bench/cluster/README.md has the whole story):
//   silo    a cluster silo: Mindspace.Silo plus the echo grains, a local-call loop on request, a raw TLS echo on --echo-port
//   caller  an Orleans client: peak and open-loop latency of remote calls, against local calls in a silo and the raw echo
//   stream  an Orleans client with real SignalR clients: inbox append → SignalR delivery through a gateway
try
{
    var options = BenchOptions.Parse(args.Skip(1));
    return args.FirstOrDefault() switch
    {
        "silo" => await SiloMode.RunAsync(options),
        "caller" => await CallerMode.RunAsync(options),
        "stream" => await StreamMode.RunAsync(options),
        _ => Usage(),
    };
}
catch (ArgumentException exception)
{
    Console.Error.WriteLine($"clusterbench: {exception.Message}");
    return 2;
}

static int Usage()
{
    Console.Error.WriteLine("""
        usage: Mindspace.ClusterBench silo   [--echo-port N] [--keys 1024]
               Mindspace.ClusterBench caller --local URL --silo-stats URL [--silo-stats URL] --echo-port N --out FILE [--runs 3] [--closed-seconds 3] [--open-seconds 4] [--concurrency 256] [--keys 1024]
               Mindspace.ClusterBench stream --gateway URL --out FILE [--runs 3] [--rate 5000] [--users 50] [--seconds 10] [--baseline-seconds 5] [--watch gateway=PID]
        Cluster settings come from the environment, as for Mindspace.Silo (DATABASE_URL, CLUSTER_TLS_CERT, CLUSTER_TLS_KEY, SILO_PORT, GATEWAY_PORT, PORT, ...).
        """);
    return 2;
}
