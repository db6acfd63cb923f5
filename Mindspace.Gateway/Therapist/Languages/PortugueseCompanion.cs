using System.Text.RegularExpressions;

namespace Mindspace.Gateway.Therapist.Languages;

/// <summary>The companion's words in Portuguese ("você", closer to Brazil than Portugal). Needs review by native-speaking clinicians before launch.</summary>
public static class PortugueseCompanion
{
    public static CompanionCatalog Catalog { get; } = new()
    {
        Language = "pt",
        EnglishName = "Portuguese",

        EscalationNotice = """
            Antes de conversarmos: o companheiro não é um terapeuta nem um serviço de emergência.
            Cada mensagem que você envia é verificada automaticamente, para ver se há sinais de que você possa estar em perigo, seja por você mesmo ou por outra pessoa.
            Se uma mensagem parecer mostrar que você pode estar em risco alto, três coisas acontecem: o companheiro pergunta diretamente sobre a sua segurança e mostra as linhas de apoio do seu país e o seu plano de segurança; e um trecho curto dessa mensagem (no máximo 160 caracteres), o horário e o nível de risco vão para uma fila da equipe de cuidado do Mindspace, que é treinada para isso e pode ver que você talvez precise de apoio.
            A equipe de cuidado não lê as suas outras mensagens, e cada vez que ela olha a fila, isso fica registrado.
            O Mindspace não pode enviar ajuda até onde você está. Se você estiver em perigo imediato, ligue para o número de emergência da sua região.
            """,
        ThoughtRecordTitle = "Registro de pensamentos com o companheiro",

        CrisisOpening = "Obrigado por me contar. Percebo quanta dor você está sentindo, e eu continuo aqui com você.",
        CrisisQuestion = "Quero te perguntar diretamente, porque isso importa: você está pensando em tirar a própria vida? Você está em segurança agora?",
        FromOthersOpening = "Fico muito feliz que você tenha me contado, e eu continuo aqui com você. O que está acontecendo não é culpa sua, e você merece estar em segurança.",
        FromOthersQuestion = "Preciso te perguntar diretamente: você está em segurança agora? A pessoa que te machucou está perto de você?",
        EmergencyCall = phone => $"Se você está em perigo agora ou já se machucou, por favor ligue para o {phone} agora, ou peça a alguém perto de você para ligar. Você pode continuar falando comigo enquanto isso.",
        EmergencyCallNoNumber = "Se você está em perigo agora ou já se machucou, por favor ligue agora para o número de emergência da sua região, ou peça a alguém perto de você para ligar. Você pode continuar falando comigo enquanto isso.",
        ResourcesIntro = "Você não precisa passar por isso sozinho. Há pessoas prontas para conversar, a qualquer hora:",
        CallLine = phone => $"ligue para {phone}",
        TextLine = number => $"mande mensagem para {number}",
        PlanIntro = "Você fez um plano de segurança para momentos como este.",
        PlanCopingStep = step => $"Uma coisa que você escreveu que ajuda: \"{step}\".",
        PlanPersonOrPlace = who => $"Você também escreveu que isto ajuda: {who}.",
        PlanReason = reason => $"E você escreveu este motivo para viver: \"{reason}\".",
        PlanOffer = "Quer que a gente repasse o seu plano juntos?",
        MakePlanOffer = "Se ajudar, podemos fazer um plano de segurança juntos, um passo de cada vez: o que você percebe, o que ajuda, quem você pode procurar.",
        StayingWithYou = "Não vou a lugar nenhum. Você pode me contar um pouco onde está e o que está acontecendo agora?",

        SlowDown = "Quero dar atenção de verdade a cada mensagem sua, e elas estão chegando muito rápido: vamos respirar juntos um instante. Continuo aqui. Me mande o próximo pensamento daqui a um minuto, e seguimos a partir daí.",
        BudgetNote = "(Cheguei ao meu limite de respostas longas por hoje, então as minhas vão ser mais simples até amanhã, mas continuo aqui com você.)",
        ConcernOpening = "Isso parece muito pesado, e fico feliz que você tenha me contado.",
        ConcernSomeoneElse = "É difícil carregar a preocupação por alguém de quem a gente gosta. Essa pessoa está em segurança agora? Se você acha que ela está em perigo, tudo bem ligar para a emergência. E você, como está aguentando?",
        ConcernSelf = "Posso te perguntar uma coisa diretamente, porque importa: você está tendo pensamentos de não querer viver, ou de se machucar? Seja qual for a resposta, estou aqui para ouvir.",
        Openers =
        [
            "Obrigado por me contar.",
            "Estou te ouvindo.",
            "Eu te entendo.",
            "Parece muita coisa para carregar.",
        ],
        Questions =
        [
            "O que mais ocupou a sua cabeça hoje?",
            "Como isso tem afetado você?",
            "Do que você acha que mais precisa agora?",
            "Quando você começou a perceber que estava se sentindo assim?",
            "O que já te ajudou, nem que seja um pouco, quando você se sentiu assim antes?",
        ],
        Feelings =
        [
            new(R(@"\b(ansios[oa]|ansiedade|preocupad[oa]|nervos[oa]|inquiet[oa]|nao consigo relaxar)\b"), ["Parece que a ansiedade está te segurando forte agora, e isso cansa muito.", "Ficar tenso assim é muito desconfortável, e faz sentido querer que isso passe."], TherapistFlows.Breathing),
            new(R(@"\b(panico|crise de ansiedade|nao consigo respirar|coracao acelerado|sobrecarregad[oa])"), ["Isso parece avassalador. Vamos desacelerar juntos.", "Quando tudo vem de uma vez, voltar ao momento presente pode ajudar."], TherapistFlows.Grounding),
            new(R(@"\b(triste|tristeza|deprimid[oa]|pra baixo|para baixo|vazi[oa]|desanimad[oa]|sem energia|sem vontade)\b"), ["Sinto muito que esteja tão pesado. Dias difíceis deixam tudo mais complicado, até as coisas pequenas.", "Isso parece muito desgastante. Quando o humor está baixo, pode parecer que nada vai ajudar."], TherapistFlows.Activation),
            new(R(@"\b(sou (um |uma )?(fracasso|inutil|burr[oa]|idiota)|me odeio|e culpa minha|nao presto)\b"), ["Você está sendo muito duro consigo. Essa voz interna pode ser tão alta.", "Parece que a sua mente está te dizendo coisas muito duras sobre você."], TherapistFlows.ThoughtRecord),
            new(R(@"\b(sozinh[oa]|solidao|solitari[oa]|isolad[oa]|sem amigos|ninguem para conversar)\b"), ["A solidão dói. Fico feliz que você tenha escrito aqui.", "Sentir-se sozinho com isso é muito difícil. Estou aqui com você agora."], TherapistFlows.Activation),
            new(R(@"\b(estresse|stress|estressad[oa]|pressao|demais|esgotad[oa]|exaust[oa]|burnout)\b"), ["É muita coisa ao mesmo tempo. Não é de admirar que você se sinta no limite.", "Parece que a pressão está se acumulando."], TherapistFlows.Distortions),
            new(R(@"\b(com raiva|raiva|irritad[oa]|furios[oa]|brav[oa]|puto|puta)\b"), ["Faz sentido sentir raiva disso.", "Isso parece muito frustrante."], TherapistFlows.Breathing),
        ],
        OfferFlow = title => $"Quer experimentar {title} comigo? É só dizer sim, ou a gente pode simplesmente continuar conversando.",

        FlowTitles = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [TherapistFlows.ThoughtRecord] = "um registro de pensamentos",
            [TherapistFlows.Distortions] = "identificar armadilhas do pensamento",
            [TherapistFlows.Activation] = "planejar uma coisa pequena",
            [TherapistFlows.Grounding] = "o exercício de ancoragem 5-4-3-2-1",
            [TherapistFlows.Breathing] = "a respiração lenta",
        },
        FlowRequests =
        [
            (TherapistFlows.ThoughtRecord, R(@"\b(registro de pensamentos?|diario de pensamentos|anotar (o|meu) pensamento)")),
            (TherapistFlows.Distortions, R(@"\b(distorc|armadilhas? do pensamento|erros? de pensamento|pensamentos? negativos?)")),
            (TherapistFlows.Activation, R(@"\b(ativacao comportamental|planejar (uma|alguma) coisa pequena|uma coisa pequena|um passo pequeno|um pequeno passo)")),
            (TherapistFlows.Grounding, R(@"\b(ancoragem|aterramento|5-4-3-2-1|54321|cinco sentidos)")),
            (TherapistFlows.Breathing, R(@"\b(respiracao|respirar|exercicio de respira)")),
        ],
        Yes = R(@"^\s*(sim|claro|pode ser|ok|okay|ta bom|beleza|bora|vamos|quero|por favor|com certeza|por que nao)\b"),
        Stop = R(@"^\s*(parar|pare|chega|cancelar|agora nao|nao obrigad[oa]|vamos parar|stop)\b"),
        Stopped = "Claro, podemos parar por aqui. Você pode retomar quando quiser. O que te ajudaria mais agora?",

        FlowPrompts = new Dictionary<string, string[]>(StringComparer.Ordinal)
        {
            [TherapistFlows.ThoughtRecord] =
            [
                "Vamos fazer um registro de pensamentos juntos, um passo de cada vez; você pode dizer \"parar\" quando quiser. Primeiro: qual foi a situação? Onde você estava e o que estava acontecendo?",
                "Obrigado. O que passou pela sua cabeça naquele momento? Tente pegar o pensamento com as palavras em que ele veio.",
                "O que você sentiu quando esse pensamento veio, e com que intensidade, de 0 a 100?",
                "Vamos olhar para ele como um juiz justo. O que faz o pensamento parecer verdadeiro?",
                "E o que não combina muito com esse pensamento? Algo que aponte para o outro lado, nem que seja um pouco?",
                "Considerando os dois lados, como você poderia dizer isso de um jeito justo e gentil? O que você diria a um amigo que tivesse esse pensamento?",
                "Agora, lendo esse pensamento mais equilibrado: qual a intensidade do sentimento, de 0 a 100?",
            ],
            [TherapistFlows.Distortions] =
            [
                "Vamos procurar armadilhas do pensamento. Me conte um pensamento que tem te incomodado, o mais parecido possível com o jeito que ele soa na sua cabeça.",
                "",
                "Se essa armadilha faz parte dele, como o pensamento soaria sem ela? Não precisa ser positivo, só mais justo.",
            ],
            [TherapistFlows.Activation] =
            [
                "Vamos planejar uma coisa pequena, tão pequena que pareça quase fácil demais. Algo de que você gostava, ou algo que te dê uma pequena sensação de ter feito. O que vem à mente?",
                "Parece uma boa ideia. Quando você poderia fazer isso, hoje ou amanhã? Marcar um horário ajuda.",
                "Quanto você acha que vai gostar ou se sentir bem com isso, de 0 a 10? Não existe resposta errada; vamos comparar depois.",
            ],
            [TherapistFlows.Grounding] =
            [
                "Vamos nos ancorar no aqui e agora com o 5-4-3-2-1. Sem pressa. Olhe ao seu redor: quais são cinco coisas que você consegue ver?",
                "Muito bem. Agora quatro coisas que você consegue sentir: os pés no chão, a cadeira, o ar na pele.",
                "Agora três coisas que você consegue ouvir, perto ou longe.",
                "Duas coisas que você consegue cheirar, ou dois cheiros de que você gosta, se não houver nenhum.",
                "E uma coisa que você consegue saborear.",
            ],
            [TherapistFlows.Breathing] =
            [
                "Vamos desacelerar a respiração juntos: inspire pelo nariz contando até 4 e solte pela boca contando até 6; uma expiração mais longa diz ao corpo que ele está seguro. Diga \"pronto\" quando quiser.",
                "Inspire… 2… 3… 4… e solte… 2… 3… 4… 5… 6.\nInspire… 2… 3… 4… e solte… 2… 3… 4… 5… 6.\nMais uma vez: inspire… 2… 3… 4… e solte devagar… 2… 3… 4… 5… 6.\nComo o seu corpo está agora, comparado com um minuto atrás?",
            ],
        },
        Traps =
        [
            new("pensamento tudo ou nada", "ver as coisas como sucesso total ou fracasso total", R(@"\b(sempre|nunca|completamente|totalmente|nada|tudo|perfeit[oa]|arruinad[oa])\b")),
            new("generalização", "tomar um acontecimento como prova de que sempre acontece", R(@"\b(toda vez|todo mundo|ninguem|o tempo todo)\b")),
            new("catastrofização", "pular para o pior resultado possível", R(@"\b(o pior|desastre|horrivel|terrivel|catastrof)")),
            new("leitura mental", "supor que sabemos o que os outros pensam de nós", R(@"\b(eles acham|ele acha|ela acha|todo mundo acha|me julga(m)?|me odeia(m)?)\b")),
            new("previsão do futuro", "prever que as coisas vão dar errado", R(@"\b(nunca vou conseguir|nao vai dar certo|vou fracassar|vai dar errado)\b")),
            new("rotulação", "resumir a nós mesmos com uma palavra dura", R(@"\bsou (um |uma )?(fracasso|inutil|idiota|burr[oa]|desastre)\b")),
            new("os \"deveria\"", "nos prender a regras rígidas", R(@"\b(deveria|tenho que|preciso)\b")),
            new("raciocínio emocional", "tomar um sentimento como prova de um fato", R(@"\bme sinto (um |uma )?(fracasso|inutil|culpad[oa]|burr[oa])\b")),
        ],
        TrapPrompt = (list, found) => found.Count == 0
            ? $"Obrigado por compartilhar. Aqui estão algumas armadilhas do pensamento comuns:\n{list}\nAlguma delas parece familiar nesse pensamento?"
            : $"Obrigado por compartilhar. Fico pensando se há um pouco de {string.Join(" ou ", found.Select(t => t.Name))} aí: {found[0].Explanation}. Estas são as mais comuns:\n{list}\nAlguma parece familiar?",
        Finish = (flow, a) => flow switch
        {
            TherapistFlows.ThoughtRecord =>
                $"Você fez o registro de pensamentos inteiro, e isso exige esforço. Aqui está:\n• Situação: {a["situation"]}\n• Pensamento: {a["thought"]}\n• Sentimento: {a["emotion"]}\n• O que combina: {a["evidence-for"]}\n• O que não combina: {a["evidence-against"]}\n• Um pensamento mais justo: {a["balanced"]}\n• Sentimento agora: {a["rerate"]}\nMesmo uma pequena mudança conta. Se quiser guardar, você pode salvar no seu diário. Como foi olhar para o pensamento desse jeito?",
            TherapistFlows.Distortions =>
                $"Muito bem. Você começou com \"{a["thought"]}\" e encontrou um jeito mais justo de dizer: \"{a["reframe"]}\". Armadilhas do pensamento são hábitos, não verdades; perceber já é a maior parte do trabalho. Quer continuar conversando sobre isso?",
            TherapistFlows.Activation =>
                $"Este é o seu plano: {a["activity"]}, {a["when"]}. Você espera cerca de {a["expect"]} de 10. Depois, repare em como foi de verdade; o humor baixo costuma subestimar o quanto as coisas pequenas ajudam. Vou gostar de saber como foi.",
            TherapistFlows.Grounding =>
                "Você passou pelos cinco sentidos. Respire devagar mais uma vez. Você está aqui, neste momento, e atravessou estes últimos minutos. Como você está se sentindo agora?",
            TherapistFlows.Breathing =>
                "Obrigado por tentar isso comigo. Você pode voltar a essa respiração quando quiser; até uma rodada ajuda. Tem alguma coisa na sua cabeça sobre a qual você queira conversar?",
            _ => "Obrigado por fazer isso comigo.",
        },
    };

    private static Regex R(string pattern) => new(pattern, RegexOptions.CultureInvariant);
}
