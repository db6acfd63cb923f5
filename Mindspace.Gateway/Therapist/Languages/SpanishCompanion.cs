using System.Text.RegularExpressions;

namespace Mindspace.Gateway.Therapist.Languages;

/// <summary>The companion's words in Spanish (tú). Needs review by native-speaking clinicians before launch.</summary>
public static class SpanishCompanion
{
    public static CompanionCatalog Catalog { get; } = new()
    {
        Language = "es",
        EnglishName = "Spanish",

        EscalationNotice = """
            Antes de hablar: el compañero no es un terapeuta ni un servicio de emergencias.
            Cada mensaje que envías se revisa automáticamente para ver si hay señales de que puedas estar en peligro, ya sea por ti o por otra persona.
            Si un mensaje hace pensar que podrías estar en riesgo alto, pasan tres cosas: el compañero te pregunta directamente por tu seguridad y te muestra las líneas de crisis de tu país y tu plan de seguridad; y un fragmento breve de ese mensaje (como máximo 160 caracteres), la hora y el nivel de riesgo pasan a una cola del equipo de cuidado de Mindspace, que está formado para esto y así puede ver que quizá necesites apoyo.
            El equipo de cuidado no lee tus otros mensajes, y cada vez que mira la cola queda registrado.
            Mindspace no puede enviar ayuda a donde estás. Si estás en peligro inmediato, llama al número de emergencias de tu zona.
            """,
        ThoughtRecordTitle = "Registro de pensamientos con el compañero",

        CrisisOpening = "Gracias por contármelo. Noto cuánto dolor sientes, y aquí sigo contigo.",
        CrisisQuestion = "Quiero preguntártelo directamente, porque importa: ¿estás pensando en quitarte la vida? ¿Estás a salvo ahora mismo?",
        FromOthersOpening = "Me alegra mucho que me lo hayas contado, y aquí sigo contigo. Lo que está pasando no es culpa tuya, y mereces estar a salvo.",
        FromOthersQuestion = "Necesito preguntártelo directamente: ¿estás a salvo ahora mismo? ¿Está cerca de ti la persona que te hizo daño?",
        EmergencyCall = phone => $"Si estás en peligro ahora mismo o ya te has hecho daño, por favor llama al {phone} ahora, o pide a alguien cercano que llame. Puedes seguir hablando conmigo mientras tanto.",
        EmergencyCallNoNumber = "Si estás en peligro ahora mismo o ya te has hecho daño, por favor llama ahora al número de emergencias de tu zona, o pide a alguien cercano que llame. Puedes seguir hablando conmigo mientras tanto.",
        ResourcesIntro = "No tienes que pasar por esto a solas. Hay personas dispuestas a escucharte, a cualquier hora:",
        CallLine = phone => $"llama al {phone}",
        TextLine = number => $"escribe al {number}",
        PlanIntro = "Hiciste un plan de seguridad para momentos como este.",
        PlanCopingStep = step => $"Algo que escribiste que te ayuda: «{step}».",
        PlanPersonOrPlace = who => $"También escribiste que te ayuda: {who}.",
        PlanReason = reason => $"Y escribiste esta razón para vivir: «{reason}».",
        PlanOffer = "¿Te gustaría que repasemos tu plan juntos?",
        MakePlanOffer = "Si te sirve, podemos hacer juntos un plan de seguridad, paso a paso: lo que notas, lo que te ayuda, a quién puedes acudir.",
        StayingWithYou = "No me voy a ningún sitio. ¿Puedes contarme un poco dónde estás y qué está pasando ahora?",

        SlowDown = "Quiero dar a cada uno de tus mensajes la atención que merece, y están llegando muy rápido: respiremos un momento juntos. Sigo aquí. Escríbeme lo siguiente en un minuto y seguimos desde ahí.",
        BudgetNote = "(Hoy he llegado a mi límite de respuestas largas, así que las mías serán más sencillas hasta mañana, pero sigo aquí contigo.)",
        ConcernOpening = "Eso suena muy pesado, y me alegra que me lo hayas contado.",
        ConcernSomeoneElse = "Es duro cargar con la preocupación por alguien que te importa. ¿Esa persona está a salvo ahora mismo? Si crees que está en peligro, está bien llamar a emergencias. ¿Y tú cómo lo llevas?",
        ConcernSelf = "¿Puedo preguntarte algo directamente, porque importa? ¿Estás teniendo pensamientos de no querer vivir o de hacerte daño? Sea cual sea la respuesta, estoy aquí para escucharte.",
        Openers =
        [
            "Gracias por contármelo.",
            "Te escucho.",
            "Te entiendo.",
            "Parece mucho para cargar.",
        ],
        Questions =
        [
            "¿Qué es lo que más te ha rondado la cabeza hoy?",
            "¿Cómo te está afectando eso?",
            "¿Qué crees que necesitas más ahora mismo?",
            "¿Cuándo empezaste a notar que te sentías así?",
            "¿Qué te ha ayudado, aunque sea un poco, otras veces que te sentiste así?",
        ],
        Feelings =
        [
            new(R(@"\b(ansios[oa]|ansiedad|preocupad[oa]|nervios[oa]|intranquil[oa]|no puedo relajarme)\b"), ["Parece que la ansiedad te tiene muy agarrado ahora mismo, y eso agota.", "Estar en tensión así es muy incómodo, y es normal que quieras que se calme."], TherapistFlows.Breathing),
            new(R(@"\b(panico|no puedo respirar|el corazon (me late|a mil)|abrumad[oa]|desbordad[oa])"), ["Eso suena abrumador. Vamos a bajar el ritmo juntos.", "Cuando todo llega de golpe, volver al momento presente puede ayudar."], TherapistFlows.Grounding),
            new(R(@"\b(triste|tristeza|deprimid[oa]|bajon|vaci[oa]|sin ganas|sin energia|desanimad[oa]|apagad[oa])\b"), ["Siento que pese tanto. Los días bajos lo hacen todo más difícil, incluso lo pequeño.", "Eso suena muy agotador. Cuando el ánimo está bajo, puede parecer que nada va a ayudar."], TherapistFlows.Activation),
            new(R(@"\b(soy (un |una )?(fracaso|inutil|estupid[oa]|tont[oa])|me odio|es mi culpa|no valgo)\b"), ["Estás siendo muy duro contigo. Esa voz interior puede sonar muy fuerte.", "Parece que tu mente te está diciendo cosas muy duras sobre ti."], TherapistFlows.ThoughtRecord),
            new(R(@"\b(sol[oa]|soledad|aislad[oa]|sin amigos|nadie con quien hablar)\b"), ["La soledad duele. Me alegra que hayas escrito aquí.", "Sentirte a solas con esto es muy duro. Ahora estoy aquí contigo."], TherapistFlows.Activation),
            new(R(@"\b(estres|estresad[oa]|presion|agobiad[oa]|demasiado|quemad[oa]|agotad[oa])\b"), ["Tienes muchas cosas encima. Normal que te sientas al límite.", "Parece que la presión se va acumulando."], TherapistFlows.Distortions),
            new(R(@"\b(enfadad[oa]|enojad[oa]|furios[oa]|rabia|harto|harta|molest[oa])\b"), ["Tiene sentido que te enfade eso.", "Eso suena muy frustrante."], TherapistFlows.Breathing),
        ],
        OfferFlow = title => $"¿Te gustaría que probemos {title} juntos? Solo di que sí, o podemos simplemente seguir hablando.",

        FlowTitles = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [TherapistFlows.ThoughtRecord] = "un registro de pensamientos",
            [TherapistFlows.Distortions] = "a detectar trampas del pensamiento",
            [TherapistFlows.Activation] = "a planear una cosa pequeña",
            [TherapistFlows.Grounding] = "el ejercicio de anclaje 5-4-3-2-1",
            [TherapistFlows.Breathing] = "la respiración lenta",
        },
        FlowRequests =
        [
            (TherapistFlows.ThoughtRecord, R(@"\b(registro de pensamientos?|diario de pensamientos|apuntar (el|mi) pensamiento)")),
            (TherapistFlows.Distortions, R(@"\b(distorsion|trampas? del pensamiento|errores? de pensamiento|pensamientos? negativos?)")),
            (TherapistFlows.Activation, R(@"\b(activacion conductual|planear (una|algo) (cosa )?pequen|una cosa pequena|un paso pequeno)")),
            (TherapistFlows.Grounding, R(@"\b(anclaje|5-4-3-2-1|54321|cinco sentidos)")),
            (TherapistFlows.Breathing, R(@"\b(respiracion|respirar|ejercicio de respira)")),
        ],
        Yes = R(@"^\s*(si|sip|vale|claro|ok|okay|de acuerdo|por favor|vamos|venga|me gustaria|bueno|dale)\b"),
        Stop = R(@"^\s*(parar|paremos|basta|cancelar|ahora no|no gracias|dejemoslo|prefiero no|stop)\b"),
        Stopped = "Claro, podemos parar aquí. Puedes retomarlo cuando quieras. ¿Qué te ayudaría más ahora mismo?",

        FlowPrompts = new Dictionary<string, string[]>(StringComparer.Ordinal)
        {
            [TherapistFlows.ThoughtRecord] =
            [
                "Hagamos juntos un registro de pensamientos, paso a paso; puedes decir «basta» cuando quieras. Primero: ¿cuál fue la situación? ¿Dónde estabas y qué estaba pasando?",
                "Gracias. ¿Qué se te pasó por la cabeza en ese momento? Intenta recoger el pensamiento con las palabras en que llegó.",
                "¿Qué sentiste cuando llegó ese pensamiento, y con qué intensidad, de 0 a 100?",
                "Mirémoslo como lo haría un juez justo. ¿Qué hace que el pensamiento parezca cierto?",
                "¿Y qué no encaja del todo con ese pensamiento? ¿Algo que apunte en la otra dirección, aunque sea un poco?",
                "Teniendo en cuenta las dos partes, ¿cómo podrías decirlo de una forma justa y amable? ¿Qué le dirías a un amigo que tuviera este pensamiento?",
                "Ahora, leyendo ese pensamiento más equilibrado: ¿con qué intensidad sientes la emoción, de 0 a 100?",
            ],
            [TherapistFlows.Distortions] =
            [
                "Busquemos trampas del pensamiento. Cuéntame un pensamiento que te esté molestando, lo más parecido posible a como suena en tu cabeza.",
                "",
                "Si esa trampa forma parte de él, ¿cómo sonaría el pensamiento sin ella? No tiene que ser positivo, solo más justo.",
            ],
            [TherapistFlows.Activation] =
            [
                "Planeemos una cosa pequeña, tan pequeña que parezca casi demasiado fácil. Algo que antes disfrutabas, o algo que te dé una pequeña sensación de haberlo hecho. ¿Qué se te ocurre?",
                "Me parece una buena idea. ¿Cuándo podrías hacerlo, hoy o mañana? Ponerle una hora ayuda.",
                "¿Cuánto crees que lo vas a disfrutar o que te hará sentir bien, de 0 a 10? No hay respuesta incorrecta; lo compararemos después.",
            ],
            [TherapistFlows.Grounding] =
            [
                "Vamos a anclarnos en el aquí y ahora con el 5-4-3-2-1. Tómate tu tiempo. Mira a tu alrededor: ¿qué cinco cosas puedes ver?",
                "Muy bien. Ahora cuatro cosas que puedas sentir: los pies en el suelo, la silla, el aire en la piel.",
                "Ahora tres cosas que puedas oír, cerca o lejos.",
                "Dos cosas que puedas oler, o dos olores que te gusten si no hay ninguno.",
                "Y una cosa que puedas saborear.",
            ],
            [TherapistFlows.Breathing] =
            [
                "Vamos a hacer la respiración más lenta juntos: inspira por la nariz contando 4 y suelta el aire por la boca contando 6; una espiración más larga le dice al cuerpo que está a salvo. Di «listo» cuando quieras.",
                "Inspira… 2… 3… 4… y suelta… 2… 3… 4… 5… 6.\nInspira… 2… 3… 4… y suelta… 2… 3… 4… 5… 6.\nUna vez más: inspira… 2… 3… 4… y suelta despacio… 2… 3… 4… 5… 6.\n¿Cómo notas el cuerpo ahora, comparado con hace un minuto?",
            ],
        },
        Traps =
        [
            new("pensamiento de todo o nada", "ver las cosas como un éxito total o un fracaso total", R(@"\b(siempre|nunca|completamente|totalmente|nada|todo|perfect[oa]|arruinad[oa])\b")),
            new("generalizar", "tomar un hecho como prueba de que siempre pasa", R(@"\b(cada vez|todo el mundo|nadie|todo el tiempo|siempre pasa)\b")),
            new("catastrofizar", "saltar al peor resultado posible", R(@"\b(lo peor|desastre|horrible|terrible|catastrof)")),
            new("leer la mente", "dar por hecho que sabemos lo que los demás piensan de nosotros", R(@"\b(piensan que|piensa que|me juzga|me odia|me odian)\b")),
            new("adivinar el futuro", "predecir que las cosas saldrán mal", R(@"\b(nunca voy a|no va a funcionar|voy a fracasar|saldra mal)\b")),
            new("etiquetarse", "resumirnos con una sola palabra dura", R(@"\bsoy (un |una )?(fracaso|inutil|idiota|estupid[oa]|desastre)\b")),
            new("los «debería»", "exigirnos reglas rígidas", R(@"\b(deberia|tengo que|tendria que)\b")),
            new("razonamiento emocional", "tomar un sentimiento como prueba de un hecho", R(@"\bme siento (un |una )?(fracaso|inutil|culpable|estupid[oa])\b")),
        ],
        TrapPrompt = (list, found) => found.Count == 0
            ? $"Gracias por compartirlo. Estas son algunas trampas del pensamiento comunes:\n{list}\n¿Te resulta familiar alguna en ese pensamiento?"
            : $"Gracias por compartirlo. Me pregunto si hay algo de {string.Join(" o ", found.Select(t => t.Name))} ahí: {found[0].Explanation}. Estas son las más comunes:\n{list}\n¿Te resulta familiar alguna?",
        Finish = (flow, a) => flow switch
        {
            TherapistFlows.ThoughtRecord =>
                $"Has hecho el registro de pensamientos completo, y eso cuesta. Aquí lo tienes:\n• Situación: {a["situation"]}\n• Pensamiento: {a["thought"]}\n• Emoción: {a["emotion"]}\n• Lo que encaja: {a["evidence-for"]}\n• Lo que no encaja: {a["evidence-against"]}\n• Un pensamiento más justo: {a["balanced"]}\n• Emoción ahora: {a["rerate"]}\nIncluso un pequeño cambio cuenta. Si quieres conservarlo, puedes guardarlo en tu diario. ¿Cómo ha sido mirar el pensamiento de esta manera?",
            TherapistFlows.Distortions =>
                $"Muy bien hecho. Empezaste con «{a["thought"]}» y encontraste una forma más justa de decirlo: «{a["reframe"]}». Las trampas del pensamiento son hábitos, no verdades; darse cuenta de ellas es la mayor parte del trabajo. ¿Quieres que sigamos hablando de ello?",
            TherapistFlows.Activation =>
                $"Este es tu plan: {a["activity"]}, {a["when"]}. Esperas disfrutarlo un {a["expect"]} de 10. Después, fíjate en cómo te sentiste de verdad; el ánimo bajo suele subestimar cuánto ayudan las cosas pequeñas. Me encantará saber cómo te fue.",
            TherapistFlows.Grounding =>
                "Has recorrido los cinco sentidos. Haz una respiración lenta más. Estás aquí, en este momento, y has atravesado estos últimos minutos. ¿Cómo te sientes ahora?",
            TherapistFlows.Breathing =>
                "Gracias por probarlo conmigo. Puedes volver a esta respiración cuando quieras; incluso una ronda ayuda. ¿Hay algo que tengas en mente y de lo que quieras hablar?",
            _ => "Gracias por hacer esto conmigo.",
        },
    };

    private static Regex R(string pattern) => new(pattern, RegexOptions.CultureInvariant);
}
