using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mindspace.Grains.Interfaces.CheckIns;

/// <summary>Source-generated serialization of the check-in contracts (registered with the runtime automatically).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(EntryView))]
[JsonSerializable(typeof(MoodView))]
[JsonSerializable(typeof(NewEntry))]
[JsonSerializable(typeof(EntryPatch))]
[JsonSerializable(typeof(EntryQuery))]
[JsonSerializable(typeof(EntryPage))]
[JsonSerializable(typeof(NewMood))]
[JsonSerializable(typeof(MoodQuery))]
[JsonSerializable(typeof(MoodPage))]
[JsonSerializable(typeof(CheckInStreaks))]
[JsonSerializable(typeof(CheckInsExport))]
public sealed partial class CheckInsJsonContext : JsonSerializerContext;
