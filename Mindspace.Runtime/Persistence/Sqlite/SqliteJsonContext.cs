using System.Text.Json.Serialization;

namespace Mindspace.Runtime.Persistence.Sqlite;

/// <summary>Source-generated JSON for the few values the SQLite stores pass as JSON (partition lists).</summary>
[JsonSerializable(typeof(int[]))]
internal sealed partial class SqliteJsonContext : JsonSerializerContext;
