using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Mindspace.Runtime.Persistence;
using Mindspace.Runtime.Serialization;

namespace Mindspace.Runtime.Activation;

/// <summary>
/// Creates grain instances: constructor parameters marked <see cref="PersistentStateAttribute"/> or
/// <see cref="RecordCollectionAttribute"/> are bound to this grain's storage; the rest come from
/// the service container.
/// </summary>
internal sealed class GrainActivator(IServiceProvider services, IStorageProvider storage, GrainSerializer serializer)
{
    private readonly ConcurrentDictionary<Type, ConstructorPlan> _plans = new();

    /// <returns>The grain and the states to read before it activates.</returns>
    public (Grain Grain, IReadOnlyList<IActivationStateLoader> States) Create(Type grainClass, GrainId grainId)
    {
        var plan = _plans.GetOrAdd(grainClass, ConstructorPlan.For);
        var states = new List<IActivationStateLoader>();
        var arguments = new object?[plan.Parameters.Length];
        for (var i = 0; i < arguments.Length; i++)
        {
            var parameter = plan.Parameters[i];
            if (parameter.GetCustomAttribute<PersistentStateAttribute>() is { } stateAttribute)
            {
                var state = Activator.CreateInstance(
                    typeof(PersistentState<>).MakeGenericType(parameter.ParameterType.GetGenericArguments()[0]),
                    grainId, stateAttribute.StateName, storage.States, serializer)!;
                states.Add((IActivationStateLoader)state);
                arguments[i] = state;
            }
            else if (parameter.GetCustomAttribute<RecordCollectionAttribute>() is { } collectionAttribute)
            {
                arguments[i] = Activator.CreateInstance(
                    typeof(RecordCollection<>).MakeGenericType(parameter.ParameterType.GetGenericArguments()[0]),
                    grainId, collectionAttribute.CollectionName, storage.Records, serializer);
            }
            else
            {
                arguments[i] = services.GetRequiredService(parameter.ParameterType);
            }
        }

        return ((Grain)plan.Constructor.Invoke(arguments), states);
    }

    private sealed record ConstructorPlan(ConstructorInfo Constructor, ParameterInfo[] Parameters)
    {
        public static ConstructorPlan For(Type grainClass)
        {
            var constructors = grainClass.GetConstructors();
            if (constructors.Length != 1)
            {
                throw new InvalidOperationException($"Grain class {grainClass.FullName} must have exactly one public constructor.");
            }

            var parameters = constructors[0].GetParameters();
            foreach (var parameter in parameters)
            {
                var isState = parameter.ParameterType.IsGenericType && parameter.ParameterType.GetGenericTypeDefinition() == typeof(IPersistentState<>);
                var isCollection = parameter.ParameterType.IsGenericType && parameter.ParameterType.GetGenericTypeDefinition() == typeof(IRecordCollection<>);
                if (isState != parameter.IsDefined(typeof(PersistentStateAttribute)) || isCollection != parameter.IsDefined(typeof(RecordCollectionAttribute)))
                {
                    throw new InvalidOperationException(
                        $"Parameter '{parameter.Name}' of {grainClass.Name}: IPersistentState<T> needs [PersistentState(\"name\")] and IRecordCollection<T> needs [RecordCollection(\"name\")].");
                }
            }

            return new ConstructorPlan(constructors[0], parameters);
        }
    }
}
