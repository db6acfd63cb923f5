using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Mindspace.Gateway.Tests.Infrastructure;

namespace Mindspace.Gateway.Tests.Contracts;

/// <summary>Grain state on disk is JSON a person can read: no type blobs, and never a password.</summary>
public sealed class StoredStateJsonTests
{
    [Fact]
    public async Task A_registered_users_stored_state_is_plain_JSON_with_the_password_hash_and_not_the_password()
    {
        const string Password = "a-Distinctive-passphrase-7731";
        await using var host = await MindspaceTestHost.StartAsync();
        var email = TestUsers.NewEmail();
        var register = await host.Client.RegisterAsync(email, Password, displayName: "Stored Person");
        Assert.Equal(HttpStatusCode.Created, register.StatusCode);
        var userId = (await register.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("userId").GetGuid();

        var payload = await ReadUserStateAsync(host.DataDirectory, userId);

        Assert.DoesNotContain("$type", payload, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, payload, StringComparison.Ordinal);
        var state = JsonDocument.Parse(payload).RootElement;
        Assert.Equal(JsonValueKind.Object, state.ValueKind);
        Assert.Equal(email, state.GetProperty("email").GetString());
        Assert.Equal("Stored Person", state.GetProperty("displayName").GetString());
        Assert.Equal(["member"], state.GetProperty("roles").EnumerateArray().Select(role => role.GetString()));
        var hash = state.GetProperty("passwordHash").GetString();
        Assert.False(string.IsNullOrEmpty(hash));
        Assert.NotEqual(Password, hash);
    }

    /// <summary>The user grain's row in the embedded database, read beside the running gateway (SQLite allows a second reader).</summary>
    private static async Task<string> ReadUserStateAsync(string dataDirectory, Guid userId)
    {
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataDirectory, "mindspace.db"),
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString();
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT grain_key, payload FROM ms_orleans_grain_state WHERE state_name = 'user'";
        await using var reader = await command.ExecuteReaderAsync();
        var keys = new List<string>();
        while (await reader.ReadAsync())
        {
            var key = reader.GetString(0);
            keys.Add(key);
            if (key.Contains(userId.ToString("N"), StringComparison.OrdinalIgnoreCase) || key.Contains(userId.ToString("D"), StringComparison.OrdinalIgnoreCase))
            {
                return reader.GetString(1);
            }
        }

        Assert.Fail($"No stored state of user {userId}; stored user keys: {string.Join(", ", keys)}");
        return string.Empty;
    }
}
