using System.Reflection;
using Microsoft.Extensions.DependencyInjection;

namespace Mindspace.Grains.Records;

/// <summary>Makes the <see cref="IRecordCollection{TRecord}"/> a <see cref="RecordCollectionAttribute"/> asks for, owned by the activating grain.</summary>
public sealed class RecordCollectionAttributeMapper : IAttributeToFactoryMapper<RecordCollectionAttribute>
{
    public Factory<IGrainContext, object> GetFactory(ParameterInfo parameter, RecordCollectionAttribute metadata)
    {
        var type = parameter.ParameterType;
        if (!type.IsGenericType || type.GetGenericTypeDefinition() != typeof(IRecordCollection<>))
        {
            throw new ArgumentException(
                $"Parameter '{parameter.Name}' of {parameter.Member.DeclaringType} has [RecordCollection] but is a {type}, not an IRecordCollection<T>.",
                parameter.Name);
        }

        var collectionType = typeof(RecordCollection<>).MakeGenericType(type.GetGenericArguments());
        var table = metadata.Table;
        var gatherWrites = metadata.GatherWrites;
        return context =>
        {
            var store = context.ActivationServices.GetRequiredService<IRecordStore>();
            if (gatherWrites)
            {
                store.GatherWrites(table); // idempotent: every activation declares it before it can write
            }

            return Activator.CreateInstance(collectionType, table, context.GrainId.Key.ToString(), store)!;
        };
    }
}
