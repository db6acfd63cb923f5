using System.Reflection;
using Mindspace.Grains.Analytics;
using Mindspace.Grains.Interfaces;
using Mindspace.Grains.Interfaces.Analytics;
using Mindspace.Grains.Interfaces.Attention;
using Mindspace.Grains.Interfaces.CheckIns;
using Mindspace.Grains.Interfaces.Focus;
using Mindspace.Grains.Interfaces.Journal;
using Mindspace.Grains.Interfaces.Mindfulness;
using Mindspace.Grains.Interfaces.Notifications;
using Mindspace.Grains.Interfaces.Shop;
using Mindspace.Grains.Interfaces.Users;
using Mindspace.Silo.Cluster;
using Mono.Cecil;
using Mono.Cecil.Cil;
using Orleans.Concurrency;

namespace Mindspace.Gateway.Tests.Cluster;

/// <summary>
/// <c>RejectedCallRetry</c> sends a <see cref="ReadOnlyAttribute"/> method again after a loss in flight, and Orleans
/// lets read-only calls to one grain interleave. Both are only safe if the method writes nothing, so this reads the
/// IL of every grain method that implements a read-only interface method (with what it calls inside the grains
/// assembly, lambdas and async state machines included) and fails on a state write, a record write, a reminder or
/// timer, a deactivation, a call to another grain's method that is not read-only, or a store to a field of the grain.
/// </summary>
public sealed class ReadOnlyMethodTests
{
    private static readonly Assembly Interfaces = typeof(IUserGrain).Assembly;
    private static readonly Assembly Grains = typeof(BetterDaysGrain).Assembly;
    private static readonly Lazy<ModuleDefinition> GrainsModule = new(() =>
    {
        var resolver = new DefaultAssemblyResolver();
        resolver.AddSearchDirectory(Path.GetDirectoryName(Grains.Location)!);
        return ModuleDefinition.ReadModule(Grains.Location, new ReaderParameters { AssemblyResolver = resolver });
    });

    /// <summary>The reads one grain makes of another (issue 8, item 1): each must be read-only so a silo's stop cannot fail it.</summary>
    public static TheoryData<Type, string> GrainToGrainReads => new()
    {
        { typeof(IUserGrain), nameof(IUserGrain.GetProfileAsync) },
        { typeof(ICheckInsGrain), nameof(ICheckInsGrain.GetSignalsAsync) },
        { typeof(IJournalGrain), nameof(IJournalGrain.GetSignalsAsync) },
        { typeof(IMindfulnessGrain), nameof(IMindfulnessGrain.GetWeekAsync) },
        { typeof(IFocusGrain), nameof(IFocusGrain.ExportAsync) },
        { typeof(IFocusSessionGrain), nameof(IFocusSessionGrain.GetAsync) },
        { typeof(IAttentionGrain), nameof(IAttentionGrain.GetSettingsAsync) },
        { typeof(IAttentionGrain), nameof(IAttentionGrain.GetSpansAsync) },
        { typeof(IAttentionGrain), nameof(IAttentionGrain.GetUsageAsync) },
        { typeof(ICatalogGrain), nameof(ICatalogGrain.GetAsync) },
        { typeof(ICatalogGrain), nameof(ICatalogGrain.GetManyAsync) },
        { typeof(IStockGrain), nameof(IStockGrain.GetAsync) },
    };

    [Theory]
    [MemberData(nameof(GrainToGrainReads))]
    public void A_read_one_grain_makes_of_another_is_read_only(Type grainInterface, string method)
    {
        Assert.NotNull(grainInterface.GetMethod(method)!.GetCustomAttribute<ReadOnlyAttribute>());
    }

    [Fact]
    public void No_read_only_grain_method_writes()
    {
        var readOnly = ResendableMethods().Where(m => m.GetCustomAttribute<ReadOnlyAttribute>() is not null).ToList();
        Assert.True(readOnly.Count >= 12, $"only {readOnly.Count} read-only methods found");

        var writes = readOnly.SelectMany(m => Implementations(m).SelectMany(impl => WritesIn(impl).Select(w => $"{m.DeclaringType!.Name}.{m.Name} ({impl.DeclaringType!.Name}): {w}"))).ToList();

        Assert.True(writes.Count == 0, "Read-only methods that write:\n" + string.Join('\n', writes));
    }

    [Theory]
    [InlineData(typeof(IUserGrain), nameof(IUserGrain.UpdateProfileAsync), "WriteStateAsync")]
    [InlineData(typeof(INotificationInboxGrain), nameof(INotificationInboxGrain.AppendAsync), "IRecordCollection`1.AddAsync")]
    [InlineData(typeof(INotificationInboxGrain), nameof(INotificationInboxGrain.GetUnreadCountAsync), "WriteStateAsync")] // it delivers notifications held for quiet hours
    [InlineData(typeof(IBetterDaysGrain), nameof(IBetterDaysGrain.GetAsync), "calls IBetterDaysGrain.RefreshAsync")] // it queues a refresh: not read-only
    [InlineData(typeof(IBetterDaysGrain), nameof(IBetterDaysGrain.GetAsync), "sets BetterDaysGrain._refreshQueued")]
    public void The_check_finds_the_writes_of_methods_that_write(Type grainInterface, string method, string write)
    {
        var writes = Implementations(grainInterface.GetMethod(method)!).SelectMany(WritesIn).ToList();

        Assert.Contains(writes, w => w.Contains(write, StringComparison.Ordinal));
    }

    [Fact]
    public void Only_methods_marked_read_only_or_idempotent_are_resent_after_a_loss_in_flight()
    {
        Assert.True(RejectedCallRetry.IsSafeToResend(typeof(IUserGrain).GetMethod(nameof(IUserGrain.GetProfileAsync))));
        Assert.True(RejectedCallRetry.IsSafeToResend(typeof(IStockGrain).GetMethod(nameof(IStockGrain.ReleaseAsync))));
        Assert.False(RejectedCallRetry.IsSafeToResend(typeof(IUserGrain).GetMethod(nameof(IUserGrain.UpdateProfileAsync))));
        Assert.False(RejectedCallRetry.IsSafeToResend(typeof(INotificationInboxGrain).GetMethod(nameof(INotificationInboxGrain.AppendAsync))));
        Assert.False(RejectedCallRetry.IsSafeToResend(typeof(IStockGrain).GetMethod(nameof(IStockGrain.HoldAsync))));
        Assert.False(RejectedCallRetry.IsSafeToResend((MethodInfo?)null));
    }

    [Fact]
    public void No_method_is_both_read_only_and_idempotent()
    {
        var both = ResendableMethods().Where(m => m.GetCustomAttribute<ReadOnlyAttribute>() is not null && m.GetCustomAttribute<IdempotentAttribute>() is not null);

        Assert.Empty(both.Select(m => $"{m.DeclaringType!.Name}.{m.Name}"));
    }

    private static IEnumerable<MethodInfo> ResendableMethods()
        => Interfaces.GetTypes()
            .Where(t => t.IsInterface && typeof(IAddressable).IsAssignableFrom(t))
            .SelectMany(t => t.GetMethods())
            .Where(RejectedCallRetry.IsSafeToResend);

    /// <summary>The grain methods that implement <paramref name="method"/>, one per grain class.</summary>
    private static IEnumerable<MethodDefinition> Implementations(MethodInfo method)
    {
        var grainInterface = method.DeclaringType!;
        foreach (var grain in Grains.GetTypes().Where(t => t.IsClass && !t.IsAbstract && grainInterface.IsAssignableFrom(t)))
        {
            var map = grain.GetInterfaceMap(grainInterface);
            var target = map.TargetMethods[Array.IndexOf(map.InterfaceMethods, method)];
            var type = GrainsModule.Value.GetType(target.DeclaringType!.FullName!.Replace('+', '/'));
            yield return type.Methods.Single(m => m.Name == target.Name && m.Parameters.Count == target.GetParameters().Length
                && m.Parameters.Select(p => p.ParameterType.Name).SequenceEqual(target.GetParameters().Select(p => p.ParameterType.Name)));
        }
    }

    private static readonly HashSet<string> RecordWrites = ["PutAsync", "AddAsync", "RemoveAsync", "ClearAsync"];
    private static readonly HashSet<string> GrainSideEffects = ["RegisterOrUpdateReminder", "UnregisterReminder", "RegisterGrainTimer", "DeactivateOnIdle", "MigrateOnIdle"];

    /// <summary>What <paramref name="method"/> writes, following calls within the grains assembly.</summary>
    private static List<string> WritesIn(MethodDefinition method)
    {
        var grain = method.DeclaringType;
        var found = new List<string>();
        var seen = new HashSet<MethodDefinition>();
        var pending = new Stack<MethodDefinition>([method]);
        while (pending.TryPop(out var current))
        {
            if (!seen.Add(current))
            {
                continue;
            }

            if (StateMachineOf(current) is { } machine)
            {
                pending.Push(machine);
            }

            if (!current.HasBody)
            {
                continue;
            }

            foreach (var instruction in current.Body.Instructions)
            {
                switch (instruction.Operand)
                {
                    case MethodReference called:
                        if (Describe(called) is { } write)
                        {
                            found.Add(write);
                        }
                        else if (InGrains(called.DeclaringType) && called.Resolve() is { } definition)
                        {
                            pending.Push(definition);
                        }

                        break;
                    case FieldReference field when (instruction.OpCode == OpCodes.Stfld || instruction.OpCode == OpCodes.Stsfld) && IsOn(field, grain) && !IsReadCache(field):
                        found.Add($"sets {grain.Name}.{field.Name}");
                        break;
                }
            }
        }

        return found;
    }

    private static MethodDefinition? StateMachineOf(MethodDefinition method)
    {
        var attribute = method.CustomAttributes.FirstOrDefault(a => a.AttributeType.Name is "AsyncStateMachineAttribute" or "IteratorStateMachineAttribute" or "AsyncIteratorStateMachineAttribute");
        return attribute?.ConstructorArguments[0].Value is TypeReference machine
            ? machine.Resolve().Methods.Single(m => m.Name == "MoveNext")
            : null;
    }

    /// <summary>A field marked <see cref="Mindspace.Grains.ReadCacheAttribute"/>: a cache of stored state, assigned whole.</summary>
    private static bool IsReadCache(FieldReference field)
        => field.Resolve()?.CustomAttributes.Any(a => a.AttributeType.FullName == typeof(Mindspace.Grains.ReadCacheAttribute).FullName) == true;

    private static bool IsOn(FieldReference field, TypeDefinition grain)
    {
        if (field.Name.StartsWith('<') || !InGrains(field.DeclaringType))
        {
            return false; // primary-constructor captures are set by the constructor only
        }

        var declaring = field.DeclaringType.Resolve();
        for (var type = grain; ; type = type.BaseType.Resolve())
        {
            if (declaring == type)
            {
                return true;
            }

            if (type.BaseType is null || !InGrains(type.BaseType))
            {
                return false;
            }
        }
    }

    private static bool InGrains(TypeReference type) => type.Scope.Name == GrainsModule.Value.Name;

    /// <summary>A description of the write <paramref name="called"/> is, or null when it writes nothing by itself.</summary>
    private static string? Describe(MethodReference called)
    {
        var type = called.DeclaringType.Name;
        if (called.Name is "WriteStateAsync" or "ClearStateAsync" || (called.Name == "set_State" && type is "IPersistentState`1" or "Grain`1"))
        {
            return $"{type}.{called.Name}";
        }

        if (RecordWrites.Contains(called.Name) && type == "IRecordCollection`1")
        {
            return $"{type}.{called.Name}";
        }

        if (GrainSideEffects.Contains(called.Name))
        {
            return called.Name;
        }

        if (called.DeclaringType.Scope.Name == Interfaces.GetName().Name + ".dll" || called.DeclaringType.Scope.Name == Interfaces.GetName().Name)
        {
            var resolved = called.Resolve();
            if (resolved?.DeclaringType is { IsInterface: true } declaring && declaring.Interfaces.Count > 0 && IsGrainInterface(declaring)
                && !resolved.CustomAttributes.Any(a => a.AttributeType.Name == nameof(ReadOnlyAttribute)))
            {
                return $"calls {declaring.Name}.{resolved.Name}";
            }
        }

        return null;
    }

    private static bool IsGrainInterface(TypeDefinition type)
        => Interfaces.GetType(type.FullName.Replace('/', '+')) is { } loaded && typeof(IAddressable).IsAssignableFrom(loaded);
}
