using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Mindspace.Gateway.Hosting;
using Mindspace.Gateway.Journal;
using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Silo;
using Mindspace.Testing;
using Npgsql;

namespace Mindspace.Gateway.Tests.Journal;

/// <summary>What is on disk: sealed text, bound to its owner and record, and what happens when it is disturbed.</summary>
public sealed class JournalEncryptionTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private MindspaceTestHost Host => fixture.Host;

    private string DatabasePath => Path.Combine(Host.DataDirectory, "mindspace.db");

    [Fact]
    public async Task Sqlite_files_hold_no_plaintext_of_titles_bodies_thought_records_or_drafts()
    {
        var user = await Host.RegisterAndLoginAsync();
        var markers = await WriteMarkedEntriesAsync(user);

        var bytes = ReadDatabaseFiles();
        foreach (var secret in markers.Secrets)
        {
            Assert.False(Contains(bytes, secret), $"'{secret}' is stored in plaintext");
        }

        // The rows are in what was read: the tag is not sealed, so it is there to find.
        Assert.True(Contains(bytes, markers.Tag), "the journal rows were not in the files read");
        Assert.Equal(markers.Title, (await user.Client.GetJsonAsync($"/api/v1/journal/{markers.EntryId}")).Str("title"));
    }

    [Fact]
    public async Task A_tampered_ciphertext_is_refused_and_the_rest_of_the_journal_works()
    {
        var user = await Host.RegisterAndLoginAsync();
        var kept = await user.Client.WriteAsync(new { body = "A calm morning with tea." });
        var damaged = await user.Client.WriteAsync(new { title = "Secret title", body = "A private worry about tea." });

        await UpdatePayloadAsync(damaged.Id(), payload =>
        {
            var sealedBytes = Convert.FromBase64String(payload["sealed"]!.GetValue<string>());
            sealedBytes[^1] ^= 0x01;
            payload["sealed"] = Convert.ToBase64String(sealedBytes);
        });

        var response = await user.Client.GetAsync($"/api/v1/journal/{damaged.Id()}");
        var problem = await response.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("This entry can't be opened", problem.Str("title"));
        var text = problem.GetRawText();
        Assert.DoesNotContain("worry", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Secret", text, StringComparison.Ordinal);

        await (await user.Client.PatchAsync($"/api/v1/journal/{damaged.Id()}", Json("""{"mood":3}"""))).AssertProblemAsync(HttpStatusCode.Conflict);

        var list = await user.Client.GetJsonAsync("/api/v1/journal");
        var items = list.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([damaged.Id(), kept.Id()], items.Select(i => i.Id()));
        Assert.True(items[0].GetProperty("unreadable").GetBoolean());
        Assert.Equal(JsonValueKind.Null, items[0].GetProperty("body").ValueKind);
        Assert.Equal(JsonValueKind.Null, items[0].GetProperty("title").ValueKind);
        Assert.Equal("A calm morning with tea.", items[1].Str("body"));

        var found = await user.Client.GetJsonAsync("/api/v1/journal?q=tea");
        Assert.Equal([kept.Id()], found.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("entry").Id()));

        var fresh = await user.Client.WriteAsync(new { body = "Still writing." });
        Assert.Equal("Still writing.", (await user.Client.GetJsonAsync($"/api/v1/journal/{fresh.Id()}")).Str("body"));
        Assert.Equal(HttpStatusCode.NoContent, (await user.Client.DeleteAsync($"/api/v1/journal/{damaged.Id()}")).StatusCode);
    }

    [Fact]
    public async Task A_ciphertext_copied_to_another_entry_or_user_does_not_open()
    {
        var ann = await Host.RegisterAndLoginAsync();
        var bob = await Host.RegisterAndLoginAsync();
        var source = await ann.Client.WriteAsync(new { body = "Ann's own words." });
        var annOther = await ann.Client.WriteAsync(new { body = "Another of Ann's." });
        var bobs = await bob.Client.WriteAsync(new { body = "Bob's words." });
        var sealedText = (await ReadPayloadAsync(source.Id()))["sealed"]!.GetValue<string>();

        await UpdatePayloadAsync(annOther.Id(), payload => payload["sealed"] = sealedText);
        await UpdatePayloadAsync(bobs.Id(), payload => payload["sealed"] = sealedText);

        // Ann's whole row, same record key, under Bob's owner: only the owner differs.
        await using (var connection = new SqliteConnection($"Data Source={DatabasePath};Default Timeout=30"))
        {
            await connection.OpenAsync();
            var command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO journal_entries (owner, record_key, payload, updated_at)
                SELECT (SELECT owner FROM journal_entries WHERE record_key = $bobs), record_key, payload, updated_at
                FROM journal_entries WHERE record_key = $source
                """;
            command.Parameters.AddWithValue("$bobs", bobs.Id());
            command.Parameters.AddWithValue("$source", source.Id());
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        await (await ann.Client.GetAsync($"/api/v1/journal/{annOther.Id()}")).AssertProblemAsync(HttpStatusCode.Conflict);
        await (await bob.Client.GetAsync($"/api/v1/journal/{bobs.Id()}")).AssertProblemAsync(HttpStatusCode.Conflict);
        await (await bob.Client.GetAsync($"/api/v1/journal/{source.Id()}")).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("Ann's own words.", (await ann.Client.GetJsonAsync($"/api/v1/journal/{source.Id()}")).Str("body"));
    }

    [Fact]
    public async Task A_tampered_draft_is_refused_and_other_drafts_still_open()
    {
        var user = await Host.RegisterAndLoginAsync();
        var damaged = Guid.NewGuid();
        var kept = Guid.NewGuid();
        await user.Client.PutAsJsonAsync($"/api/v1/journal/drafts/{damaged}", new { body = "draft worry" });
        await user.Client.PutAsJsonAsync($"/api/v1/journal/drafts/{kept}", new { body = "draft calm" });

        await UpdatePayloadAsync(damaged.ToString("D"), payload =>
        {
            var sealedBytes = Convert.FromBase64String(payload["sealed"]!.GetValue<string>());
            sealedBytes[20] ^= 0x80; // inside the tag
            payload["sealed"] = Convert.ToBase64String(sealedBytes);
        }, "journal_drafts");

        var problem = await (await user.Client.GetAsync($"/api/v1/journal/drafts/{damaged}")).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.DoesNotContain("worry", problem.GetRawText(), StringComparison.Ordinal);
        var drafts = (await user.Client.GetJsonAsync("/api/v1/journal/drafts")).EnumerateArray().ToList();
        Assert.Contains(drafts, d => d.Id() == damaged.ToString() && d.GetProperty("unreadable").GetBoolean() && d.Str("body") is null);
        Assert.Contains(drafts, d => d.Id() == kept.ToString() && d.Str("body") == "draft calm");
    }

    [Fact]
    public async Task Export_decrypts_for_the_owner_and_deleting_the_account_destroys_the_key_and_rows()
    {
        var user = await Host.RegisterAndLoginAsync();
        var entry = await user.Client.WriteAsync(new { title = "Mine", body = "To take with me." });
        await user.Client.PutAsJsonAsync($"/api/v1/journal/drafts/{Guid.NewGuid()}", new { body = "unfinished" });

        var export = await user.Client.GetJsonAsync("/api/v1/me/export");
        var journal = export.GetProperty("journal");
        Assert.Equal("To take with me.", journal.GetProperty("entries")[0].Str("body"));
        Assert.Equal(entry.Id(), journal.GetProperty("entries")[0].Id());
        Assert.Equal("unfinished", journal.GetProperty("drafts")[0].GetProperty("content").Str("body"));

        Assert.Equal(1, await CountAsync("journal_data_keys", "record_key = $key", user.UserId.ToString("D")));
        var delete = new HttpRequestMessage(HttpMethod.Delete, "/api/v1/me") { Content = JsonContent.Create(new { password = user.Password }) };
        Assert.Equal(HttpStatusCode.NoContent, (await user.Client.SendAsync(delete)).StatusCode);

        Assert.Equal(0, await CountAsync("journal_data_keys", "record_key = $key", user.UserId.ToString("D")));
        Assert.Equal(0, await CountAsync("journal_entries", "record_key = $key", entry.Id()));
    }

    [Fact]
    public void Production_refuses_to_start_without_a_master_key()
    {
        using var data = new TempDirectory();
        var exception = Assert.Throws<InvalidOperationException>(() => MindspaceGateway.Build([], builder => builder.Configuration.AddInMemoryCollection(
            new Dictionary<string, string?>
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["JWT_SECRET"] = new string('s', 48),
                ["DATA_DIR"] = data.Path,
                ["urls"] = "http://127.0.0.1:0",
            })));

        Assert.Contains("MASTER_KEY is required in Production", exception.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(data.Combine("journal-master-key")));
    }

    [Fact]
    public async Task Embedded_mode_keeps_a_generated_master_key_owner_only()
    {
        var path = Path.Combine(Host.DataDirectory, "journal-master-key");
        Assert.True(File.Exists(path));
        Assert.Equal(32, Convert.FromBase64String(await File.ReadAllTextAsync(path)).Length);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
    }

    [Fact]
    public async Task Rotation_rewraps_data_keys_without_touching_entries()
    {
        using var data = new TempDirectory();
        var oldKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var newKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        string entryId;
        TestUser user;
        string before;
        await using (var first = await MindspaceTestHost.StartAsync(settings => { settings["DATA_DIR"] = data.Path; settings["MASTER_KEY"] = oldKey; }))
        {
            user = await first.RegisterAndLoginAsync();
            entryId = (await user.Client.WriteAsync(new { body = "Survives a new master key." })).Id();
            before = await RawRowAsync(data.Combine("mindspace.db"), "journal_entries", entryId);
        }

        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await RotateMasterKeyCommand.TryRunAsync(
            [RotateMasterKeyCommand.Command, $"--DATA_DIR={data.Path}", $"--MASTER_KEY={oldKey}", $"--NEW_MASTER_KEY={newKey}"], output, error);
        Assert.True(exit == 0, error.ToString());
        Assert.Contains("Re-wrapped 1 journal data keys", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(before, await RawRowAsync(data.Combine("mindspace.db"), "journal_entries", entryId));

        // Running it again finds nothing left to do.
        Assert.Equal(0, await RotateMasterKeyCommand.TryRunAsync(
            [RotateMasterKeyCommand.Command, $"--DATA_DIR={data.Path}", $"--MASTER_KEY={newKey}", $"--NEW_MASTER_KEY={newKey}"], TextWriter.Null, TextWriter.Null));

        await using (var second = await MindspaceTestHost.StartAsync(settings => { settings["DATA_DIR"] = data.Path; settings["MASTER_KEY"] = newKey; }))
        {
            var (token, _) = await second.LoginAsync(user.Email, user.Password);
            Assert.Equal("Survives a new master key.", (await second.CreateClient(token).GetJsonAsync($"/api/v1/journal/{entryId}")).Str("body"));
        }

        // The old key alone no longer opens it: a plain 503, nothing served, nothing changed.
        await using var third = await MindspaceTestHost.StartAsync(settings => { settings["DATA_DIR"] = data.Path; settings["MASTER_KEY"] = oldKey; });
        var (oldToken, _) = await third.LoginAsync(user.Email, user.Password);
        var problem = await (await third.CreateClient(oldToken).GetAsync($"/api/v1/journal/{entryId}")).AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.DoesNotContain("Survives", problem.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(before, await RawRowAsync(data.Combine("mindspace.db"), "journal_entries", entryId));
    }

    [Fact]
    public async Task Rotation_refuses_a_malformed_new_key()
    {
        var error = new StringWriter();
        Assert.Equal(2, await RotateMasterKeyCommand.TryRunAsync([RotateMasterKeyCommand.Command, $"--DATA_DIR={Host.DataDirectory}", "--NEW_MASTER_KEY=short"], TextWriter.Null, error));
        Assert.Contains("NEW_MASTER_KEY must be base64 of exactly 32 bytes", error.ToString(), StringComparison.Ordinal);
        Assert.Null(await RotateMasterKeyCommand.TryRunAsync(["serve"]));
    }

    internal sealed record Markers(string EntryId, string Title, string Tag, string[] Secrets);

    internal static async Task<Markers> WriteMarkedEntriesAsync(TestUser user)
    {
        var id = Guid.NewGuid().ToString("N")[..10];
        var title = $"Zanzibartitle{id}";
        var body = $"Quokkabody{id} felt heavy today";
        var situation = $"Narwhalsituation{id}";
        var draft = $"Axolotldraft{id}";
        var tag = $"tag{id}";
        var entry = await user.Client.WriteAsync(new { title, body, tags = new[] { tag } });
        await user.Client.WriteAsync(new { kind = "thought-record", thoughtRecord = new { situation, automaticThought = $"Thought{id}", balancedThought = $"Balanced{id}" } });
        await user.Client.PutAsJsonAsync($"/api/v1/journal/drafts/{Guid.NewGuid()}", new { title = draft, body = draft });
        return new Markers(entry.Id(), title, tag, [title, $"Quokkabody{id}", situation, $"Thought{id}", $"Balanced{id}", draft]);
    }

    private byte[] ReadDatabaseFiles()
    {
        using var all = new MemoryStream();
        foreach (var file in Directory.GetFiles(Host.DataDirectory, "mindspace.db*"))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            stream.CopyTo(all);
        }

        return all.ToArray();
    }

    private static bool Contains(byte[] haystack, string needle) => haystack.AsSpan().IndexOf(Encoding.UTF8.GetBytes(needle)) >= 0;

    private async Task<JsonObject> ReadPayloadAsync(string key, string table = "journal_entries")
        => JsonNode.Parse(await RawRowAsync(DatabasePath, table, key))!.AsObject();

    private static async Task<string> RawRowAsync(string database, string table, string key)
    {
        await using var connection = new SqliteConnection($"Data Source={database}");
        await connection.OpenAsync();
        var command = connection.CreateCommand();
        command.CommandText = $"SELECT payload FROM {table} WHERE record_key = $key";
        command.Parameters.AddWithValue("$key", key);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private async Task UpdatePayloadAsync(string key, Action<JsonObject> change, string table = "journal_entries")
    {
        var payload = await ReadPayloadAsync(key, table);
        change(payload);
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Default Timeout=30");
        await connection.OpenAsync();
        var command = connection.CreateCommand();
        command.CommandText = $"UPDATE {table} SET payload = $payload WHERE record_key = $key";
        command.Parameters.AddWithValue("$payload", payload.ToJsonString());
        command.Parameters.AddWithValue("$key", key);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    private async Task<long> CountAsync(string table, string where, string key)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath}");
        await connection.OpenAsync();
        var command = connection.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM {table} WHERE {where}";
        command.Parameters.AddWithValue("$key", key);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}

/// <summary>The same on PostgreSQL: every row of every table, read as text, holds no journal plaintext.</summary>
public sealed class JournalPostgresEncryptionTests
{
    [Fact]
    public async Task Postgres_rows_hold_no_plaintext_of_titles_bodies_thought_records_or_drafts()
    {
        await using var host = await MindspaceTestHost.StartOnPostgresAsync();
        var user = await host.RegisterAndLoginAsync();
        var markers = await JournalEncryptionTests.WriteMarkedEntriesAsync(user);

        var everything = new StringBuilder();
        await using var dataSource = NpgsqlDataSource.Create(host.Services.GetRequiredService<SiloSettings>().DatabaseUrl!);
        var tables = new List<string>();
        await using (var command = dataSource.CreateCommand("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        foreach (var table in tables)
        {
            // bytea columns (Orleans' grain state) print as hex; escape form keeps ASCII readable.
            await using var command = dataSource.CreateCommand($"SELECT t::text FROM \"{table}\" t");
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                everything.AppendLine(reader.GetString(0));
            }

            await using var columns = dataSource.CreateCommand($"SELECT column_name FROM information_schema.columns WHERE table_name = '{table}' AND data_type = 'bytea'");
            foreach (var column in await ReadStringsAsync(columns))
            {
                await using var binary = dataSource.CreateCommand($"SELECT encode(\"{column}\", 'escape') FROM \"{table}\" WHERE \"{column}\" IS NOT NULL");
                everything.AppendJoin('\n', await ReadStringsAsync(binary));
            }
        }

        var text = everything.ToString();
        Assert.Contains("journal_entries", string.Join(',', tables), StringComparison.Ordinal);
        Assert.Contains(markers.Tag, text, StringComparison.Ordinal);
        foreach (var secret in markers.Secrets)
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }

        Assert.Equal(markers.Title, (await user.Client.GetJsonAsync($"/api/v1/journal/{markers.EntryId}")).Str("title"));
    }

    private static async Task<List<string>> ReadStringsAsync(NpgsqlCommand command)
    {
        var values = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }
}
