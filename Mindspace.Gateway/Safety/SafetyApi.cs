using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Mindspace.Gateway.Auth;
using Mindspace.Gateway.Hosting;
using Mindspace.Grains.Interfaces.Safety;
using Mindspace.Grains.Interfaces.Users;

namespace Mindspace.Gateway.Safety;

public sealed record AssessRequest(string? Text);

public sealed record AssessResponse(string Level, IReadOnlyList<string> Signals);

public sealed record SafetyPlanRequest(
    List<string?>? WarningSigns,
    List<string?>? CopingSteps,
    List<string?>? PeopleAndPlaces,
    List<string?>? Professionals,
    List<string?>? SaferEnvironment,
    List<string?>? ReasonsForLiving);

public sealed record SafetyPlanResponse(
    IReadOnlyList<string> WarningSigns,
    IReadOnlyList<string> CopingSteps,
    IReadOnlyList<string> PeopleAndPlaces,
    IReadOnlyList<string> Professionals,
    IReadOnlyList<string> SaferEnvironment,
    IReadOnlyList<string> ReasonsForLiving,
    DateTimeOffset? UpdatedAt)
{
    public static SafetyPlanResponse Of(SafetyPlanView view)
        => new(view.Plan.WarningSigns, view.Plan.CopingSteps, view.Plan.PeopleAndPlaces, view.Plan.Professionals, view.Plan.SaferEnvironment, view.Plan.ReasonsForLiving, view.UpdatedAt);
}

/// <param name="Country">The country the lines are for (<c>INTL</c> when unknown).</param>
public sealed record CrisisResourcesResponse(string Country, IReadOnlyList<CrisisLine> Lines, string Notice);

/// <summary>Safety: <c>/api/v1/safety</c> (assess, crisis resources) and <c>/api/v1/safety-plan</c>.</summary>
public static class SafetyApi
{
    public const string ResourcesNotice = "If you are in immediate danger, call your local emergency number. These services are independent of Mindspace.";

    public static IEndpointRouteBuilder MapSafetyApi(this IEndpointRouteBuilder app)
    {
        var safety = app.MapMemberGroup("/api/v1/safety", "Safety");

        safety.MapPost("/assess", Assess)
            .WithSummary("Grade a text for risk")
            .WithDescription("`{level, signals}`: level none, concern, high or imminent (risk to the writer or from others); signals say why (never the text). The text is not stored. At most 20,000 characters.");

        safety.MapGet("/resources", ResourcesAsync)
            .WithSummary("Crisis lines for a country")
            .WithDescription("`country` (ISO 3166-1 alpha-2) or, without it, the country in your preferences (`preferences.country`); international resources when unknown.");

        var plan = app.MapMemberGroup("/api/v1/safety-plan", "Safety");

        plan.MapGet("", GetPlanAsync)
            .WithSummary("Your safety plan")
            .WithDescription("Empty lists and a null updatedAt until you save one.");
        plan.MapPut("", PutPlanAsync)
            .WithSummary("Save your safety plan")
            .WithDescription("Replaces the whole plan. Each list (warningSigns, copingSteps, peopleAndPlaces, professionals, saferEnvironment, reasonsForLiving) holds at most 20 items of at most 500 characters; a missing list is saved empty; blank items are dropped.");
        return app;
    }

    public static Results<Ok<AssessResponse>, ValidationProblem> Assess(AssessRequest? request)
    {
        if (string.IsNullOrWhiteSpace(request?.Text))
        {
            return FieldErrors.Problem("text", "Text is required.");
        }

        if (request.Text.Length > SafetyText.MaxLength)
        {
            return FieldErrors.Problem("text", $"Text can be at most {SafetyText.MaxLength} characters.");
        }

        var assessment = SafetyClassifier.Assess(request.Text);
        return TypedResults.Ok(new AssessResponse(RiskLevels.Name(assessment.Level), assessment.Signals));
    }

    public static async Task<Results<Ok<CrisisResourcesResponse>, ValidationProblem>> ResourcesAsync(
        string? country, ClaimsPrincipal user, [FromServices] IGrainFactory grains, [FromServices] CrisisDirectory directory)
    {
        if (country is not null && (country.Length != 2 || !country.All(char.IsAsciiLetter)))
        {
            return FieldErrors.Problem("country", "Use a two-letter country code such as GB, US or DE.");
        }

        var resources = directory.For(country ?? await CountryOfAsync(grains, user.GetUserId()));
        return TypedResults.Ok(new CrisisResourcesResponse(resources.Country, resources.Lines, ResourcesNotice));
    }

    public static async Task<Ok<SafetyPlanResponse>> GetPlanAsync(ClaimsPrincipal user, [FromServices] IGrainFactory grains)
        => TypedResults.Ok(SafetyPlanResponse.Of(await grains.GetGrain<ISafetyPlanGrain>(user.GetUserId()).GetAsync()));

    public static async Task<Results<Ok<SafetyPlanResponse>, ValidationProblem>> PutPlanAsync(SafetyPlanRequest? request, ClaimsPrincipal user, [FromServices] IGrainFactory grains)
    {
        if (request is null)
        {
            return FieldErrors.Problem("body", "Send the plan as a JSON object.");
        }

        var errors = new FieldErrors();
        var plan = new SafetyPlan(
            Check(request.WarningSigns, "warningSigns", errors),
            Check(request.CopingSteps, "copingSteps", errors),
            Check(request.PeopleAndPlaces, "peopleAndPlaces", errors),
            Check(request.Professionals, "professionals", errors),
            Check(request.SaferEnvironment, "saferEnvironment", errors),
            Check(request.ReasonsForLiving, "reasonsForLiving", errors));
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        return TypedResults.Ok(SafetyPlanResponse.Of(await grains.GetGrain<ISafetyPlanGrain>(user.GetUserId()).SaveAsync(plan)));
    }

    /// <summary>The country in the user's preferences (<c>preferences.country</c>), or null.</summary>
    public static async Task<string?> CountryOfAsync(IGrainFactory grains, Guid userId)
    {
        var profile = await grains.GetGrain<IUserGrain>(userId).GetProfileAsync();
        return profile?.Preferences is { ValueKind: JsonValueKind.Object } preferences
            && preferences.TryGetProperty("country", out var country) && country.ValueKind == JsonValueKind.String
            ? country.GetString()
            : null;
    }

    private static IReadOnlyList<string> Check(List<string?>? items, string field, FieldErrors errors)
    {
        errors.Add(field, SafetyPlanRules.Check(items, out var normalized));
        return normalized;
    }
}
