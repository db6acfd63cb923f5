using System.Net.Http.Json;
using System.Security.Cryptography;
using Mindspace.Gateway.Journal;
using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Grains.Interfaces.Users;

namespace Mindspace.Gateway.Tests.Community;

/// <summary>Anonymous authors are sealed under a seal key in the master-key keyring: a rotation re-wraps it, and the old master key can go.</summary>
public sealed class AuthorSealRotationTests
{
    [Fact]
    public Task After_a_rotation_without_the_old_key_a_moderator_still_reveals_an_anonymous_author() => RotateAsync(postgres: false);

    [Fact]
    public Task After_a_rotation_without_the_old_key_a_moderator_still_reveals_an_anonymous_author_on_postgres() => RotateAsync(postgres: true);

    private static async Task RotateAsync(bool postgres)
    {
        var oldKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var newKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var masterKey = oldKey;
        var storage = new List<string>();
        void Configure(IDictionary<string, string?> settings)
        {
            settings["MASTER_KEY"] = masterKey;

            // The command runs on the host's storage: its data directory, or its database (cluster mode also wants the cluster certificate).
            storage.Clear();
            storage.AddRange(new[] { "DATA_DIR", "DATABASE_URL", "CLUSTER_TLS_CERT", "CLUSTER_TLS_KEY", "CLUSTER_TLS_CA" }
                .Where(settings.ContainsKey)
                .Select(name => $"--{name}={settings[name]}"));
        }

        var host = postgres ? await MindspaceTestHost.StartOnPostgresAsync(Configure) : await MindspaceTestHost.StartAsync(Configure);
        try
        {
            var author = await host.RegisterAndLoginAsync();
            var post = (await author.PostAsync(title: "Something I can't say with my name", anonymous: true)).Id();
            var reply = (await author.CommentAsync(post, "Thank you all for reading.")).Id();

            var output = new StringWriter();
            var error = new StringWriter();
            var exit = await RotateMasterKeyCommand.TryRunAsync([RotateMasterKeyCommand.Command, .. storage, $"--MASTER_KEY={oldKey}", $"--NEW_MASTER_KEY={newKey}"], output, error);
            Assert.True(exit == 0, error.ToString());
            Assert.Contains("Re-wrapped 1 ", output.ToString(), StringComparison.Ordinal);

            // Every process restarts with the new key only: the old one is gone for good.
            masterKey = newKey;
            host = await host.RestartAsync();
            var moderator = await host.WithRoleAsync(UserRoles.Moderator);
            var revealed = await moderator.Client.PostAsJsonAsync($"/api/v1/moderation/posts/{post}/reveal", new { reason = "Threats in a reply; safety check." });
            var text = await revealed.Content.ReadAsStringAsync();
            Assert.True(revealed.IsSuccessStatusCode, $"{(int)revealed.StatusCode} {text}");
            Assert.Equal(author.UserId.ToString(), System.Text.Json.JsonDocument.Parse(text).RootElement.Str("authorId"));

            // The author still owns the post and their sealed reply; the export still lists the post.
            var client = host.CreateClient((await host.LoginAsync(author.Email, author.Password)).AccessToken);
            Assert.True((await client.GetJsonAsync($"/api/v1/posts/{post}")).GetProperty("isMine").GetBoolean());
            var comments = (await client.GetJsonAsync($"/api/v1/posts/{post}/comments")).GetProperty("items").EnumerateArray();
            Assert.Contains(comments, c => c.Id() == reply && c.GetProperty("isMine").GetBoolean());
            var export = await client.GetJsonAsync("/api/v1/me/export");
            Assert.Contains(post, export.GetProperty("community").GetRawText(), StringComparison.Ordinal);

            // New anonymous posts seal under the same seal key.
            var later = (await new TestUser(author.UserId, author.Email, author.Password, string.Empty, string.Empty, client).PostAsync(anonymous: true)).Id();
            Assert.True((await client.GetJsonAsync($"/api/v1/posts/{later}")).GetProperty("isMine").GetBoolean());
        }
        finally
        {
            await host.DisposeAsync();
        }
    }
}
