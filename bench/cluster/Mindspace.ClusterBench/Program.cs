using Mindspace.ClusterBench;

// Modes (bench/cluster/README.md has the whole story):
//   silo    a cluster silo hosting the bench echo grain, plus a raw transport echo on --echo-port
//   caller  a second silo: peak and open-loop latency of remote calls, local calls and the raw echo
//   stream  a client-only member: publish → SignalR client latency through a gateway
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
        usage: Mindspace.ClusterBench silo   [--echo-port N]
               Mindspace.ClusterBench caller --silo-stats URL --echo-port N --out FILE [--runs 3] [--closed-seconds 3] [--open-seconds 4] [--concurrency 256]
               Mindspace.ClusterBench stream --gateway URL --out FILE [--runs 3] [--rate 5000] [--seconds 10] [--baseline-seconds 5] [--watch gateway=PID]
        Cluster settings come from the environment, as for Mindspace.Silo (DATABASE_URL, CLUSTER_SECRET, SILO_PORT, PORT, ...).
        """);
    return 2;
}
