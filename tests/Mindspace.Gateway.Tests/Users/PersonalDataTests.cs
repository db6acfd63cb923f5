using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Mindspace.Gateway.Privacy;
using Mindspace.Gateway.Tests.Auth;
using Mindspace.Gateway.Tests.Infrastructure;

namespace Mindspace.Gateway.Tests.Users;

/// <summary>Export and erasure go through one registry of every module's personal data.</summary>
public sealed class PersonalDataTests(SharedHost shared) : IClassFixture<SharedHost>
{
    private MindspaceTestHost Host => shared.Host;

    [Fact]
    public async Task The_export_has_one_section_per_registered_module_beside_the_account()
    {
        var user = await Host.RegisterAndLoginAsync();
        var sections = Host.Services.GetRequiredService<PersonalData>().SectionNames.ToList();

        var response = await user.Client.GetAsync("/api/v1/me/export");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var export = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Contains("journal", sections);
        Assert.Contains("shop", sections);
        Assert.Equal(
            ["exportedAt", "profile", "sessions", "activity", .. sections],
            export.EnumerateObject().Select(property => property.Name));
        Assert.All(sections, name => Assert.Equal(JsonValueKind.Object, export.GetProperty(name).ValueKind));
    }

    [Fact]
    public void Two_sections_with_one_name_are_refused_at_start()
    {
        static Task<object> Nothing(IGrainFactory grains, Guid userId) => Task.FromResult<object>(new { });
        var services = new ServiceCollection()
            .AddSingleton(Host.Grains)
            .AddSingleton<PersonalData>()
            .AddPersonalDataSection("journal", Nothing, (_, _) => Task.CompletedTask)
            .AddPersonalDataSection("Journal", Nothing, (_, _) => Task.CompletedTask)
            .BuildServiceProvider();

        var refused = Assert.Throws<InvalidOperationException>(services.GetRequiredService<PersonalData>);

        Assert.Contains("journal", refused.Message, StringComparison.OrdinalIgnoreCase);
    }
}
