"""The Portuguese (Brazil) table of `strings.STRINGS`: the same keys and `{placeholders}` as the
English one (tests/test_strings.py checks both), in the chapter's own terms (autoatenção, query,
key, value, pesos de atenção, máscara causal, produto escalar). See GLOSSARIO.md.

Kept in its own module so the English table and this one can be edited apart; `strings.py` adds it
as `STRINGS["pt"]`.
"""

PORTUGUESE: dict[str, str] = {
    # matrix editor
    # paste_placeholder, decimal_comma and paste_ambiguous are shown by the English explorer only
    # (its decimal mark is '.'); here they say what the Portuguese explorer does, like their pt twins
    "paste_placeholder": "Cole uma matriz: cada linha da matriz numa linha de texto, números separados "
    "por espaços, tabulações ou ponto e vírgula. Vírgula decimal (0,5); o ponto "
    "também é aceito.",
    "paste_button": "Usar a matriz colada",
    "paste_tooltip": "Substitui cada entrada desta matriz pelos números colados",
    "reset_button": "Números do capítulo",
    "reset_tooltip": "Volta aos valores do exemplo do capítulo",
    "cell_tooltip": "{name} linha {row} coluna {col}",
    "editor_shape": "{rows} × {cols}",
    # messages next to a control
    "bad_number": "“{value}” na linha {row}, coluna {col} não é um número; use algarismos e ',' "
    "ou '.' para os decimais (por exemplo -0,25). Mantido {old}.",
    "not_finite": "“{value}” na linha {row}, coluna {col} não é um número finito. Mantido {old}.",
    "paste_empty": "Nada para usar: cole cada linha da matriz numa linha de texto.",
    "paste_bad_number": "Linha {line}: “{value}” não é um número (o separador decimal é ',' ou '.', "
    "os números separados por espaços, tabulações ou ponto e vírgula). Nada foi "
    "alterado.",
    "paste_not_finite": "Linha {line}: “{value}” não é um número finito. Nada foi alterado.",
    "paste_ragged": "A linha {line} tem {got} números, mas a linha 1 tem {expected}: todas as "
    "linhas precisam do mesmo número de colunas. Nada foi alterado.",
    "paste_shape": "Esta matriz precisa ser {rows} × {cols} ({what}); a colada é "
    "{got_rows} × {got_cols}. Nada foi alterado.",
    "paste_done": "Colada uma matriz {rows} × {cols}; primeira linha lida como {first}.",
    "reset_shape": "A matriz do capítulo é {rows} × {cols}, mas esta agora é {now_rows} × "
    "{now_cols}; use “Exemplo do capítulo” para voltar tudo ao início.",
    "no_reset": "Esta matriz não tem valores no capítulo.",
    "rows_tokens": "uma linha por token",
    "rows_dims": "uma linha por dimensão de entrada d_model",
    "compute_failed": "Não foi possível calcular a atenção com esta mudança: {error} Continua "
    "exibido o último resultado válido.",
    "callback_failed": "Algo deu errado ({error}); continua exibido o último resultado válido.",
    "empty_token": "Um token precisa de um rótulo; mantido “{old}”.",
    # explorer controls
    "title": "Explorador da autoatenção",
    "intro": "Edite qualquer número (tecle Enter ou clique fora para aplicar), cole matrizes "
    "inteiras, acrescente tokens ou mude os tamanhos: todos os resultados abaixo mudam junto.",
    # editor titles are HTML (for the superscripts); keep the tags when translating
    "editor_X": "X: embeddings dos tokens (uma linha por token; rótulos editáveis)",
    "editor_W_q": "W<sup>Q</sup>: pesos da query (d<sub>model</sub> × d<sub>k</sub>)",
    "editor_W_k": "W<sup>K</sup>: pesos da key (d<sub>model</sub> × d<sub>k</sub>)",
    "editor_W_v": "W<sup>V</sup>: pesos do value (d<sub>model</sub> × d<sub>v</sub>)",
    "add_token": "Acrescentar token",
    "remove_token": "Remover o último token",
    "d_model": "d_model",
    "d_k": "d_k",
    "d_v": "d_v",
    "new_entries": "Novas entradas:",
    "fill_zeros": "zeros",
    "fill_random": "aleatórias (com semente)",
    "fill_tooltip": "Com que valores começam as novas linhas ou colunas quando você acrescenta um "
    "token ou aumenta um tamanho",
    "seed": "semente",
    "causal": "causal",
    "causal_tooltip": "Cada token vê só a si mesmo e os tokens anteriores (a máscara do capítulo)",
    "bidirectional": "bidirecional",
    "bidirectional_tooltip": "Cada token vê todos os tokens (sem máscara, Corolário 1.1)",
    "causal_toggle": "Máscara",
    "scaled": "dividir os scores por √d_k",
    "focus": "Token em foco i:",
    "focus_option": "{index}: {token}",
    "reset_all": "Exemplo do capítulo",
    "reset_all_tooltip": "Volta aos três tokens do capítulo, a X e às matrizes de pesos",
    "save_title": "Salvar / carregar",
    "export": "Exportar JSON",
    "load": "Carregar JSON",
    "json_placeholder": "Clique em “Exportar JSON” para ver aqui a configuração atual (copie-a "
    "para guardá-la), ou cole uma e clique em “Carregar JSON”.",
    "upload": "Carregar um arquivo",
    "download": "Baixar {name}",
    "exported": "Exportado: copie o texto ou baixe o arquivo.",
    "loaded": "Carregados {n} tokens, d_model = {d_model}, d_k = {d_k}, d_v = {d_v}.",
    "bad_json": "JSON inválido: {error}. Nada foi alterado.",
    "bad_config": "Não é uma configuração do explorador: {error}. Nada foi alterado.",
    "config_not_object": "esperava um objeto JSON com tokens, X, W_q, W_k, W_v",
    "config_missing": "falta {names}",
    "config_tokens": "tokens precisa ser uma lista de rótulos não vazios",
    "config_token_count": "{tokens} tokens, mas X tem {rows} linhas",
    "config_flags": "causal e scaled precisam ser true ou false",
    "config_focus": "focus precisa ser o índice de um token, de 0 a {last}",
    # um link que reabre um estado (explorer/share.py, share.js): recusas, depois o controle
    "link_fallback": "{why} Mostramos o exemplo do capítulo no lugar.",
    "link_no_state": "Este não é um link para um estado do explorador: falta a parte “#state=”.",
    "link_too_long": "Este link tem {got} caracteres; um link para o explorador tem no máximo {limit}.",
    "link_damaged": "Este link está danificado: {why}. Peça o link de novo, ou o arquivo JSON.",
    "link_why_characters": "ele tem caracteres que um link para o explorador nunca tem",
    "link_why_check": "falta uma parte dele ou ela foi alterada (a verificação não confere)",
    "link_why_header": "os tamanhos ou as opções dele estão fora dos limites",
    "link_why_labels": "os rótulos dos tokens estão cortados ou não são texto",
    "link_why_numbers": "os números estão cortados ou não são números",
    "link_future": "Este link foi feito por um explorador mais novo (formato de link {version}; este lê "
    "o formato {supported}). Atualize o curso, ou peça o arquivo JSON.",
    "link_refused": "Este link guarda um estado que o explorador não pode mostrar: {error}",
    "link_opened": "Aberto o estado do link: {n} tokens, d_model = {d_model}, d_k = {d_k}, d_v = {d_v}.",
    "copy_link": "Copiar link",
    "copy_link_tooltip": "Copia um link que abre exatamente este estado no site do curso",
    "link_field": "Link para este estado",
    "link_copied": "Link copiado ({length} caracteres): quem abrir verá exatamente este estado.",
    "link_long": "Link copiado, mas ele tem {length} caracteres: programas de e-mail e de conversa podem "
    "cortar links com mais de {limit}. Por segurança, envie o arquivo JSON (“Salvar / carregar”).",
    "link_copy_failed": "O navegador não deixou a página copiar: selecione o link na caixa e copie.",
    # figuras exportadas (explorer/export.js): botões, nomes de arquivo (sem extensão), legenda
    "export_svg": "SVG",
    "export_png": "PNG",
    "export_picture_tooltip": "Baixa “{title}” como figura {format}",
    "export_done": "Baixado {file}.",
    "export_failed": "Este navegador não conseguiu fazer a figura {format}; tente o outro formato.",
    "export_file_weights": "pesos-cabeca-{head}",
    "export_file_scores": "scores-cabeca-{head}",
    "export_file_contributions": "contribuicoes-token-{token}",
    "export_legend_weights": "peso α (0 a 1)",
    "export_legend_contributions": "token j",
    "too_few_tokens": "É preciso pelo menos um token.",
    "too_many_tokens": "No máximo {limit} tokens no explorador.",
    "size_range": "{name} precisa estar entre 1 e {limit}.",
    "new_token": "token {index}",
    # live views
    "view_Q": "Q = X W^Q (as queries q_i nas linhas)",
    "view_K": "K = X W^K (as keys k_j nas linhas)",
    "view_V": "V = X W^V (os values v_j nas linhas)",
    "view_output": "Saídas a_i (nas linhas) = pesos × V",
    "view_steps": "Passo a passo para o token em foco",
    # o explorador na página (selfattn_lib/explorer/explorer.js): cada palavra que ele mostra
    "explorer_keys_help": "Numa matriz, as setas passam de uma caixa a outra, Enter aplica um número e "
    "Escape devolve o que está em uso.",
    "explorer_scores_alt": "Pontuações de {n} tokens ({mode}), de {low} a {high}; a tabela traz todos os valores.",
    "explorer_weights_alt": "Pesos de atenção α de {n} tokens ({mode}); a linha em foco {focus} está "
    "contornada. Cada token de consulta pesa mais: {rows}.",
    "explorer_masked_cell": "mascarado",
    "explorer_fill": "Novas entradas",
    "explorer_file": "Carregar um arquivo (.json)",
    "explorer_download": "Baixar o arquivo",
    "explorer_kernel_refused": "O kernel recusou esta mudança: {error}",
    "component": "componente",
    "token": "token",
    "repr": "AttentionExplorer: {n} tokens ({tokens}), d_model = {d_model}, d_k = {d_k}, "
    "d_v = {d_v}, {mode}; token em foco {focus}",
    # the variant a result was computed with (steps.mode_label, plot titles)
    "mode_label": "{direction}, {scaling}",
    "mode_causal": "causal",
    "mode_bidirectional": "bidirecional",
    "mode_scaled": "com escala",
    "mode_unscaled": "sem escala",
    # plots (selfattn_lib.plots); "\n" starts a new line of a title or axis label
    "plot_weights_title": "Pesos de atenção α\n{mode}",
    "plot_scores_title": "Scores {formula}\n{direction}",
    "plot_scores_scaled": "q·k / √d_k",
    "plot_scores_unscaled": "q·k (sem escala)",
    "plot_key_axis": "token da key j",
    "plot_query_axis": "token da query i",
    "plot_weights_masked_note": "▨ mascarado: um token futuro",
    "plot_scores_masked_note": "▨ removido pela máscara",
    "plot_mask_label": "mascarado (token futuro)",
    # contributions: {i}, {j} are subscript digits (₁, ₂, ...), {token} a token's label
    "plot_contributions_title": "De que é feito a{i} (“{token}”)",
    "plot_contribution_part": "α{i},{j} v{j} ({token})",
    "plot_contribution_total": "a{i} (total)",
    "plot_component_axis": "componente de a{i}",
    "plot_contribution_axis": "contribuição",
    # worked steps (selfattn_lib.steps)
    "step_projection": "**Projeção:** {formula} para o token {s}{word}.",
    "step_projection_component": "O componente {t} de {vector} é {x} vezes a coluna {t} de {matrix}:",
    "step_projection_all": "As {count} componentes (cada coluna de {matrix}, uma por vez):",
    "step_score": "**Score** do token {s}{word_i} (a query) com o token {t}{word_j} (a key):",
    "step_score_unscaled": "Sem escala: sem a divisão por {root}, então {formula}.",
    "step_score_masked": "O token {t} vem depois do token {s}: a máscara causal o esconde, então "
    "este score recebe peso {formula}.",
    "step_softmax": "**Softmax** da linha {s}{word} sobre {over}: {formula}.",
    "step_softmax_all_tokens": "todos os tokens",
    "step_softmax_shift": "Os scores são grandes, então o maior deles, {top}, é subtraído de cada "
    "um antes de $e^x$: os pesos continuam os mesmos.",
    "step_softmax_masked": "Os tokens futuros, mascarados ({tokens}), têm peso exatamente 0.",
    "step_softmax_sum": "Os pesos da linha {s} somam 1.",
    "step_output": "**Saída** do token {s}{word}: os values {values} ponderados por {alpha}.",
    "step_worked": "Exemplo resolvido para o token {s}{word} ({mode})",
    "step_1": "**Passo 1: projeções.**",
    "step_keys_values": "As keys e os values com que ele se compara, calculados do mesmo jeito:",
    "step_2": "**Passo 2: scores.**",
    "step_3": "**Passo 3: softmax.**",
    "step_4": "**Passo 4: soma ponderada dos values.**",
    "step_column_score": "score",
    "step_column_token": "token",
    "step_column_vector": "vetor",
    # exercícios: dicas para os deslizes apontados na issue 15 (a lógica de diagnóstico)
    "hint.same_number": "Outro deslize também dá exatamente esse número. {other}",
    "hint.score_index": "Você usou q_{a} e k_{b}, os vetores dos tokens {a} e {b}. O Python conta a "
    "partir de 0: x_{s} é a linha {i} (Q[{i}]) e x_{t} é a linha {j} (K[{j}]); o "
    "i={i}, j={j} da conferência já está contado a partir de 0.",
    "hint.no_exp": "Você dividiu os scores pela soma deles, sem exponenciais. O softmax aplica e^score "
    "primeiro: alpha_ij = e^score_ij / sum_k e^score_ik (np.exp). Dividir os próprios "
    "scores falha assim que um deles é negativo ou a soma é 0.",
    "hint.weight_not_score": "Esse é um peso alpha_{s}{t}, um número depois da softmax. O score é o que entra na softmax: o produto escalar de uma query e uma key, antes de qualquer exponencial.",
    "hint.weights_divided_by_dk": "Você dividiu os scores por d_k = {d_k}; o capítulo divide pela raiz quadrada dele, sqrt(d_k) = {root}.",
    "hint.weights_transposed_weight": "Você usou as matrizes de pesos transpostas (W.T). Em q_i = x_i W^Q a matriz entra como ela é: a linha r de W^Q vai com o componente r de x_i.",
    "hint.mask_zero": "Você escreveu a máscara como um score 0: e^0 = 1, então os tokens futuros ainda recebem peso. A máscara põe -inf nos scores deles, para que e^score = 0.",
    "hint.output_one_term": "Esse é um termo só, alpha_ij v_j. A saída a_i soma um termo desses para cada token a que i presta atenção.",
    "hint.output_weights_swapped": "Os pesos foram para os values errados: alpha_ij multiplica v_j, o value do mesmo token j, não o de outro token.",
    "hint.softmax_not_finite": "Com {scores}, scores pequenos e comuns, a sua função devolveu {got}: nan ou inf onde cada peso deveria ser um número entre 0 e 1. Procure uma divisão por 0 ou um logaritmo de 0.",
    "hint.changed_range": "Não existe a_{got}: as saídas vão de a_1 a a_{n}, uma por token.",
    "hint.unweighted_mean": "Essa é a média simples dos values, com todo token contando igual. A "
    "atenção pondera cada v_j pelo seu próprio alpha_ij (result.weights): "
    "a_i = sum_j alpha_ij v_j.",
    "hint.weights_row": "Esses são os pesos do token {got}, a linha {got} dos pesos. O Python conta a "
    "partir de 0: os scores do token {s} são result.scores[{i}].",
    "hint.output_row": "Esse é o a_{got}, a saída do token {got}. O Python conta a partir de 0: a_{s} "
    "usa a linha {i} (result.weights[{i}]).",
    "hint.changed_zero_based": "Ainda não: [{got}] parecem índices do Python, contados a partir de 0 "
    "(a primeira saída contada como 0). Dê os subscritos do capítulo, que "
    "começam em 1: a primeira saída é a_1.",
    # exercises of notebooks 10-12 (selfattn_lib.exercises_more)
    "ex_unanswered": "Ainda sem resposta: troque None pela sua resposta e rode a célula de novo.",
    "ex_not_number": "A resposta é um número; veio {got}.",
    "ex_not_index": "A resposta é um número inteiro, uma posição ou uma cabeça contada a partir de 0; veio {got}.",
    "ex_not_bool": "A resposta é True ou False; veio {got}.",
    "ex_other": "Ainda não. {hint}",
    "pe_right": "Correto! PE[{pos}, {column}] = {function}({pos} / 10.000^({two_i}/{d_model})) = {value:.6f}.",
    "pe_swapped": "As colunas pares (0, 2, ...) têm o seno e as ímpares o cosseno; você usou a outra função.",
    "pe_pair_index": "O expoente usa o índice do par i = column // 2 ({i}), não a própria coluna: as "
    "colunas 2i e 2i+1 compartilham a mesma frequência.",
    "pe_degrees": "O sin e o cos do numpy recebem radianos; o seu número é o seno ou o cosseno em graus.",
    "pe_precedence": "Confira a ordem das operações: a potência se aplica só a 10000, e o expoente é todo o 2i / d_model. Em Python ** tem precedência sobre * e /, então o expoente precisa de parênteses próprios.",
    "pe_no_function": "Esse é o próprio ângulo; a tabela guarda o seno dele (coluna par) ou o cosseno (coluna ímpar).",
    "pe_position_from_1": "As posições contam a partir de 0: a linha 0 é a primeira palavra. A posição {pos} é a linha {pos} da tabela, não a {pos}ª linha contada a partir de 1.",
    "pe_column_from_1": "As colunas contam a partir de 0, como em Python: a coluna 0 é a primeira. A coluna {column} é PE[:, {column}], não a {column}ª coluna contada a partir de 1.",
    "pe_hint": "Ache o par i = column // 2, o ângulo pos / 10.000^(2i / d_model), e depois sin para "
    "uma coluna par, cos para uma ímpar.",
    "order_right": "Correto! Com a máscara e sem posições, a saída de uma palavra depende dela mesma "
    "e das palavras anteriores, tomadas como conjunto: as mesmas palavras antes dela, "
    "em qualquer ordem, dão a mesma saída.",
    "order_wrong": "Não é bem assim: a máscara decide quais palavras uma palavra vê (ela mesma e as "
    "anteriores), não em que ordem. Liste as palavras que cada uma das duas vê.",
    "order_wrong_sets": "Não é bem assim: a máscara deixa uma palavra ver só a si mesma e as palavras "
    "anteriores, e aqui elas diferem. Liste as palavras que cada uma das duas vê.",
    "heads_right": "Correto! A cabeça {head} põe, em média, {weight:.2f} da atenção da última palavra no sujeito.",
    "heads_noun": "A cabeça {head} olha para o substantivo (peso médio {weight:.2f}), não para o "
    "sujeito: leia a coluna do sujeito na tabela.",
    "rows_right": "Correto! A cabeça {head} ocupa as colunas {first} a {last} da concatenação, e essas colunas encontram as linhas {first} a {last} de W^O: zere-as e nada da cabeça {head} chega à saída.",
    "rows_head_index": "Esse é o número da cabeça, não as linhas dela: cada cabeça tem d_v = {d_v} colunas na concatenação, e portanto {d_v} linhas de W^O.",
    "rows_other_head": "Essas são as linhas da cabeça {other}. As cabeças contam a partir de 0: a cabeça 0 tem as {d_v} primeiras linhas.",
    "rows_from_1": "As linhas contam a partir de 0, como em Python: a primeira linha de W^O é a linha 0.",
    "rows_too_many": "Essas são mais linhas do que uma cabeça tem: cada cabeça encontra d_v = {d_v} linhas de W^O.",
    "rows_expected": "A resposta é uma lista de índices de linhas, como [0, 1]; veio {got}.",
    "rows_hint": "A saída da cabeça h ocupa d_v colunas da concatenação, depois das colunas das cabeças 0 a h-1; cada coluna da concatenação multiplica uma linha de W^O.",
    "heads_range": "Só existem as cabeças 0 a {last}.",
    "concat_right": "Correto! {n_heads} cabeças de {d_v} colunas lado a lado: {n} x {width}.",
    "concat_one_head": "Essa é a saída de uma cabeça só. A concatenação põe as saídas das "
    "{n_heads} cabeças lado a lado.",
    "concat_stacked": "Essas são as cabeças empilhadas uma sobre a outra (um array 3-D). A "
    "concatenação as põe lado a lado: uma linha por token.",
    "concat_transposed": "Linhas e colunas estão trocadas: uma linha por token, uma coluna por "
    "componente de cada cabeça.",
    "concat_stacked_rows": "Essas são as saídas das cabeças empilhadas uma embaixo da outra, as linhas de cada cabeça em sequência. A concatenação mantém uma linha por token e põe as cabeças lado a lado.",
    "concat_hint": "Uma linha por token; as colunas da cabeça 0, depois as da cabeça 1, ...",
    "shape_expected": "A resposta é uma forma (shape), uma tupla como (3, 4); veio {got}.",
    "leak_right": "Correto! Sem a máscara, a posição {t} presta atenção sobretudo à posição {j}: a "
    "próxima palavra, justamente a que ela deve prever.",
    "leak_self": "A posição {t} é a própria palavra. O que o modelo precisa prever na posição {t}, "
    "e ele consegue ver isso quando nada é mascarado?",
    "leak_past": "Essa é uma palavra anterior. Sem a máscara o modelo pode olhar também para a "
    "frente: o que ele precisa prever na posição {t}, e onde está essa palavra?",
    "leak_range": "As posições vão de 0 (<s>) a {last}; {got} não é uma delas (neste exercício -1 não quer dizer a última).",
    "leak_hint": "Pense no que foi recompensado na posição {t} e no que o modelo consegue ver ali "
    "quando nada é mascarado.",
    "best_right": "Correto! Depois de “o” vêm seis substantivos masculinos, igualmente prováveis: a "
    "melhor previsão possível dá 1/6 a cada um, uma perda de ln 6 = {value:.4f}.",
    "best_ignored_gender": "Isso é ln 12: os doze substantivos. Mas “o” é masculino: quais "
    "substantivos podem vir depois dele?",
    "best_probability": "Essa é a probabilidade do substantivo certo; a perda é −ln dela.",
    "best_other_log": "A perda usa o logaritmo natural (ln), não o log na base 2 ou 10.",
    "best_sign": "Uma perda é −ln P, nunca negativa: P é no máximo 1, então ln P é no máximo 0 e −ln P no mínimo 0. Confira o sinal.",
    "best_zero": "Uma perda 0 quer dizer que o modelo tem certeza da próxima palavra. Depois de “o” a gramática admite vários substantivos, então nem um modelo perfeito pode ter certeza.",
    "best_states": "Isso é ln 4, a perda quando quatro palavras são igualmente prováveis, como os quatro estados masculinos depois de um substantivo masculino. Depois de “o” vem um substantivo: quantos podem vir?",
    "best_hint": "Conte os substantivos que podem vir depois de “o”; o melhor modelo espalha a "
    "probabilidade igualmente entre eles, e a perda é −ln da probabilidade do "
    "substantivo certo.",
    # exercise checks of notebooks 01-06 (selfattn_lib.exercises); {what} is a formula or a phrase
    # from an "exercises.*_what" key, {got} what the learner gave
    # (a "*_right" sentence follows "Correto! ": it starts with a capital unless it starts with a formula)
    "exercises.correct": "Correto! {message}",
    "exercises.not_yet_hint": "Ainda não. {hint}",
    "exercises.also": "{first} E há um segundo deslize junto com esse: {second}",
    "exercises.cannot_check": "Não dá para conferir: {message}.",
    "exercises.index_type": "{name} precisa ser um número inteiro, o índice de um token contado a "
    "partir de 0 (0 a {last}); veio {got}",
    "exercises.index_range": "{name} precisa estar entre 0 e {last} (índice de um token contado a "
    "partir de 0; são {n}); veio {got}",
    "exercises.flag": "{name} precisa ser True ou False; veio {got}",
    "exercises.size": "{name} precisa ser um número inteiro maior ou igual a 1; veio {got}",
    "exercises.name": "name precisa ser 'q', 'k' ou 'v'; veio {got}",
    "exercises.example_attributes": "example precisa ter X, W_q, W_k e W_v, como chapter_example(); veio {got}",
    "exercises.example_invalid": "example: {error}",
    "exercises.got_text": "um texto ({got}): escreva os próprios números, sem aspas",
    "exercises.got_masked": "um array mascarado (a máscara dele não pode ser conferida)",
    "exercises.got_not_table": "um {type} que não é uma tabela de números",
    "exercises.got_complex": "números complexos; a resposta são números reais (sem parte j)",
    "exercises.got_entry": "{got} ({type}) no meio dos números",
    "exercises.got_too_large": "um número grande demais para fazer contas ({got}; o maior float é cerca de 1,8e308)",
    "exercises.got_bool": "valores True/False, não números",
    "exercises.got_dtype": "um {type} do Python cujos dados são {kind} (tipo {dtype} do numpy), e não números",
    "exercises.got_many": "{got}, de forma {shape}, onde se pede um número só",
    "exercises.got_not_finite": "{got}, que não é um número finito",
    "exercises.decimal_comma": "Em Python o decimal é ponto: escreva `{fixed}`. Com vírgula, o Python "
    "lê números inteiros separados: {read}.",
    "exercises.decimal_comma_sign": "Assim o sinal de menos antes do 0 se perde (-0,2 vira (0, 2)): "
    "escreva `-0.2` se o número for negativo.",
    "exercises.decimal_comma_rows": "{got} números inteiros por linha, onde se pedem {expected}",
    "exercises.kind_text": "texto",
    "exercises.kind_bool": "valores True/False",
    "exercises.kind_complex": "números complexos",
    "exercises.kind_other": "outra coisa",
    "exercises.unanswered": "Ainda sem resposta: {what}. Troque None pela sua resposta e rode a célula de novo.",
    "exercises.not_numbers": "Ainda não: a resposta ({what}) deve ser formada por números (um array "
    "do numpy ou uma lista de números); veio {got}.",
    "exercises.shape": "Ainda não: a resposta ({what}) deveria ter a forma {expected}; a sua tem a forma {got}.",
    "exercises.not_finite": "Ainda não: a sua resposta ({what}) contém inf ou nan; cada entrada deve "
    "ser um número finito.",
    "exercises.near_miss": "Quase: a sua resposta ({what}) está a menos de {near} da certa. Guarde "
    "mais casas decimais (ou deixe o numpy calcular) em vez de arredondar os "
    "passos intermediários.",
    "exercises.differs": "Ainda não: a sua resposta ({what}) é diferente da certa. Volte à equação e "
    "calcule um passo de cada vez.",
    # 01 projections ({role} is query, key or value: the chapter's own words in both editions)
    "exercises.projection_wrong_matrix": "Você usou W^{other} no lugar de W^{letter}: o vetor de "
    "{role} é {name}_{s} = x_{s} W^{letter} (W_{name} no "
    "código).",
    "exercises.projection_transposed_weight": "Você multiplicou pela transposta de W^{letter} (W_{name}.T). Em x W^{letter} a matriz entra como ela é: a linha r de W^{letter} vai com o componente r de x.",
    "exercises.projection_order": "O produto está na ordem errada. Com vetores linha (a notação do "
    "capítulo) ele é x_{s} W^{letter}: a linha x_{s} vezes a matriz, "
    "X[{i}] @ W_{name}. W_{name} @ X[{i}] multiplica, em vez disso, "
    "pelas linhas da matriz.",
    "exercises.projection_wrong_token": "Esse é {name}_{t}, o vetor de {role} do token {t}. O "
    "Python conta a partir de 0: x_{s} é X[{i}].",
    "exercises.projection_right": "{name}_{s} = x_{s} W^{letter}: cada componente é x_{s} vezes uma "
    "coluna de W^{letter}.",
    "exercises.matrix_wrong_matrix": "Você usou W^{other} no lugar de W^{letter}: {letter} = X "
    "W^{letter} (X @ W_{name}); cada linha de {letter} é um vetor "
    "de {role}.",
    "exercises.matrix_order": "O produto está na ordem errada: {letter} = X W^{letter} (X @ "
    "W_{name}), uma matriz (n x d_model) vezes uma (d_model x d_k); "
    "W_{name} @ X.T dá uma matriz d_k x n, uma coluna por token, com "
    "outros números.",
    "exercises.matrix_transposed": "Esses são os números certos, transpostos: na notação do capítulo "
    "cada linha de {letter} é um token ({letter} = X @ W_{name}, "
    "forma n x d_k).",
    "exercises.matrix_right": "{letter} = X W^{letter} calcula todos os vetores de {role} de uma "
    "vez, uma linha por token.",
    "exercises.shape_what": "a forma de Q (X é {n} x {d_model}, W^Q é {d_model} x {d_k})",
    "exercises.shape_unanswered": "Ainda sem resposta: {what}. Troque None por um par como (linhas, colunas).",
    "exercises.shape_not_pair": "Ainda não: escreva {what} como um par de números inteiros, por "
    "exemplo (3, 4); veio {got}.",
    "exercises.shape_right": "({n} x {d_model}) vezes ({d_model} x {d_k}) dá {n} x {d_k}: uma linha "
    "por token, d_k colunas. Os tamanhos de dentro (d_model) precisam ser "
    "iguais e desaparecem.",
    "exercises.shape_order": "Ainda não: essa é a forma que teria o produto na ordem errada (W^Q "
    "X^T). Q = X W^Q mantém as linhas de X (uma por token) e pega as "
    "colunas de W^Q.",
    "exercises.shape_of_x": "Ainda não: ({n}, {d_model}) é a forma do próprio X. Multiplicar por W^Q "
    "mantém as linhas, mas muda o número de colunas para o de W^Q.",
    "exercises.shape_of_w": "Ainda não: ({d_model}, {d_k}) é a forma de W^Q. O produto mantém o "
    "número de linhas de X (uma por token).",
    "exercises.shape_other": "Ainda não: (a x b) vezes (b x c) dá (a x c): as linhas da primeira, "
    "as colunas da segunda.",
    # 02 scores
    "exercises.score_unscaled": "Você esqueceu de dividir por sqrt(d_k) = sqrt({d_k}) = {root}: "
    "score = q_i . k_j / sqrt(d_k).",
    "exercises.score_divided_by_dk": "Você dividiu por d_k = {d_k}; divida pela raiz quadrada dele, "
    "sqrt(d_k) = {root}.",
    "exercises.score_scaled": "Este exercício pede o produto escalar puro q_i . k_j, antes de "
    "qualquer divisão por sqrt(d_k) = {root}.",
    "exercises.dot_what": "o produto escalar q_{s} . k_{t}",
    "exercises.score_keys": "Você usou W^K no lugar de W^Q: a query do token {s} é q_{s} = x_{s} "
    "W^Q, então o score é q_{s} . k_{t}, não k_{s} . k_{t}.",
    "exercises.score_queries": "Você usou W^Q no lugar de W^K: o token {t} entra como key, k_{t} = "
    "x_{t} W^K, então o score é q_{s} . k_{t}, não q_{s} . q_{t}.",
    "exercises.score_swapped": "Você trocou os papéis: score(x_{s}, x_{t}) usa a query do token {s} "
    "e a key do token {t}: q_{s} . k_{t}, não q_{t} . k_{s}.",
    "exercises.scores_what": "a matriz de scores {formula}",
    "exercises.scores_transposed": "O produto está na ordem errada: K Q^T é a transposta da matriz "
    "de scores. A linha i deve ter a query do token i contra cada "
    "key: Q @ K.T.",
    "exercises.scores_components": "O produto está na ordem errada: Q^T K é d_k x d_k, mistura "
    "componentes, não tokens. A matriz de scores é Q K^T (Q @ K.T), "
    "n x n.",
    "exercises.scores_keys": "Você usou W^K no lugar de W^Q: as linhas vêm das queries, Q = X W^Q, "
    "então a matriz é Q K^T, não K K^T.",
    "exercises.scores_queries": "Você usou W^Q no lugar de W^K: as colunas vêm das keys, K = X W^K, "
    "então a matriz é Q K^T, não Q Q^T.",
    "exercises.scores_masked": "Os números estão certos onde j <= i, mas a matriz de scores vem antes "
    "da máscara: ela tem todos os pares (i, j). A máscara causal entra no "
    "passo do softmax.",
    "exercises.scores_right": "Todos os scores de uma vez: a entrada (i, j) é {formula}.",
    # 03, 05, 06 the weights
    "exercises.weights_future": "Um peso foi para um token futuro: com a máscara causal o token i só "
    "pode prestar atenção a j <= i, então alpha_ij = 0 para j > i. Faça o "
    "softmax só sobre os scores com j <= i.",
    "exercises.weights_not_renormalised": "Uma linha não soma 1: você zerou os pesos futuros depois "
    "do softmax, mas não normalizou de novo. Divida cada linha "
    "pela nova soma dela, ou ponha -inf nos scores futuros "
    "antes do softmax.",
    "exercises.weights_unscaled": "Você esqueceu de dividir os scores por sqrt(d_k) = {root} antes do softmax.",
    "exercises.weights_scaled": "Esses são os pesos da atenção com escala (os scores divididos por "
    "sqrt(d_k) = {root}); aqui os scores ficam sem escala: o softmax do "
    "próprio q_i . k_j.",
    "exercises.weights_exponentials": "Uma linha não soma 1: essas são as exponenciais e^score. "
    "Divida cada uma pela soma das exponenciais da sua linha.",
    "exercises.weights_scores": "Esses são os scores. Os pesos são o softmax deles: alpha_ij = "
    "e^score_ij / sum_k e^score_ik.",
    "exercises.weights_transposed": "Você usou K Q^T, a transposta da matriz de scores (o produto na "
    "ordem errada): a linha i dos scores deve ser q_i contra cada "
    "key, Q @ K.T.",
    "exercises.weights_columns": "Uma linha não soma 1: o softmax foi calculado ao longo de cada "
    "coluna. Ele se calcula ao longo de cada linha (os scores do token "
    "i sobre j): normalize com axis=-1 (ou axis=1).",
    "exercises.row_sums_to": "a linha {row} soma {total}",
    "exercises.it_sums_to": "ela soma {total}",
    "exercises.row_sum": "Ainda não: cada linha da resposta ({what}) precisa somar 1 (uma "
    "distribuição de probabilidade), mas {where}. Divida pela soma das "
    "exponenciais da linha.",
    "exercises.future": "Ainda não: um peso foi para um token futuro ({weight} onde j > i). Com a "
    "máscara causal, todo alpha_ij com j > i é exatamente 0.",
    "exercises.weights_row_what": "os pesos alpha_{s}j",
    "exercises.weights_row_right_causal": "Os pesos do token {s} são uma distribuição de "
    "probabilidade sobre os tokens 1..{s}.",
    "exercises.weights_row_right": "Os pesos do token {s} são uma distribuição de probabilidade sobre todos os tokens.",
    "exercises.weights_what": "a matriz de pesos",
    "exercises.weights_right_causal": "Cada linha é uma distribuição de probabilidade, zero acima da diagonal.",
    "exercises.weights_right": "Cada linha é uma distribuição de probabilidade.",
    # 04, 05 the outputs
    "exercises.output_columns": "O produto está na ordem errada: você usou as colunas dos pesos "
    "(alpha_ji). a_i = sum_j alpha_ij v_j usa a linha i dos pesos: "
    "output = weights @ V.",
    "exercises.output_inputs": "Você combinou as entradas x_j. A atenção combina os vetores de value "
    "v_j = x_j W^V: output = weights @ V.",
    "exercises.output_keys": "Você combinou as keys k_j (W^K no lugar de W^V). A atenção combina os "
    "values v_j = x_j W^V.",
    "exercises.output_queries": "Você combinou as queries q_j (W^Q no lugar de W^V). A atenção "
    "combina os values v_j = x_j W^V.",
    "exercises.output_unweighted": "Você somou os values sem ponderá-los: cada v_j precisa ser "
    "multiplicado por alpha_ij, cuja linha soma 1.",
    "exercises.output_row_right_causal": "a_{s} = sum_j alpha_{s}j v_j, uma média ponderada dos values v_1..v_{s}.",
    "exercises.output_row_right": "a_{s} = sum_j alpha_{s}j v_j, uma média ponderada dos values de todos os tokens.",
    "exercises.output_what": "a matriz de saídas",
    "exercises.output_transposed": "Esses são os números certos, transpostos: V^T weights^T tem uma "
    "coluna por token. A saída tem uma linha por token: weights @ V.",
    "exercises.output_right": "output = weights @ V: a linha i é a_i = sum_j alpha_ij v_j.",
    # 03 a softmax of one's own
    "exercises.softmax_unanswered": "Ainda sem resposta: escreva uma função que recebe um array 1-D "
    "de scores e devolve os pesos dele, e passe a função aqui.",
    "exercises.softmax_not_callable": "Ainda não: passe a própria função (o nome dela, sem parênteses); veio {type}.",
    "exercises.softmax_raised": "Ainda não: a sua função levantou {error} ({detail}) com os scores {scores}.",
    "exercises.softmax_none": "Ainda não: com {scores} a sua função devolveu None; termine-a com `return` e os pesos.",
    "exercises.softmax_not_numbers": "Ainda não: com {scores} a sua função devolveu {got}; ela deve "
    "devolver um peso por score.",
    "exercises.softmax_shape": "Ainda não: com {scores} a sua função devolveu a forma {got}; ela "
    "deve devolver um peso por score, forma {expected}.",
    "exercises.softmax_sum": "Ainda não: com {scores} os seus pesos somam {total}, não 1. Divida "
    "cada exponencial pela soma de todas elas.",
    "exercises.softmax_values": "Ainda não: com {scores} a sua função dá {got}; o softmax dá {expected}.",
    "exercises.softmax_overflow": "Quase: certo com scores pequenos, mas com {scores} e^score "
    "estoura (inf/inf = nan). Subtraia o maior score da linha antes "
    "do exp(): os pesos não mudam, e cada exponencial fica no máximo "
    "1.",
    "exercises.softmax_right": "O seu softmax soma 1 e continua finito com scores muito grandes.",
    # 06 causality
    "exercises.perturbed": "perturbed precisa ser o índice de um token contado a partir de 1, de 1 a {n}; veio {got}",
    "exercises.changed_what": "os índices i das saídas a_i que mudam quando x_{p} muda",
    "exercises.changed_unanswered": "Ainda sem resposta: {what}, como uma lista do tipo [1, 2].",
    "exercises.changed_not_list": "Ainda não: dê {what} como uma lista de números inteiros, do tipo "
    "[1, 2]; veio {got}.",
    "exercises.changed_why_bidirectional": "sem a máscara, cada a_i presta atenção a todos os tokens.",
    "exercises.changed_why_one": "a_i só vê x_j para j <= i, então {earlier} fica igual, bit a bit.",
    "exercises.changed_why_many": "a_i só vê x_j para j <= i, então {earlier} ficam iguais, bit a bit.",
    "exercises.changed_why_all": "cada a_i com i >= {p} presta atenção a x_{p}.",
    "exercises.changed_right": "Mudam exatamente estas saídas: {listed}; {why}",
    "exercises.changed_earlier": "Ainda não: com a máscara causal, a_i depende só dos x_j com j <= i "
    "(Teorema 1). Uma saída antes da posição {p} consegue ver x_{p}?",
    "exercises.changed_only_itself": "Ainda não: a_{p} muda, mas x_{p} também é key e value para os "
    "tokens que podem prestar atenção a ele. Quais são eles?",
    "exercises.changed_bidirectional": "Ainda não: sem a máscara (Corolário 1.1) cada token presta "
    "atenção a todos os outros, nas duas direções.",
    "exercises.changed_other": "Ainda não: pense em quais a_i têm x_{p} entre os tokens a que prestam atenção.",
    # exercise checks of notebook 08 (selfattn_lib.training)
    "training.backward_unanswered": "Ainda sem resposta: escreva uma função `(dweights, weights) -> "
    "dscores` e passe a própria função aqui.",
    "training.backward_not_callable": "Ainda não: passe a própria função (o nome dela, sem parênteses); veio {type}.",
    "training.backward_raised": "A sua função levantou {error}: {detail}",
    "training.backward_none": "Ainda sem resposta: a sua função devolve None; devolva dscores.",
    "training.backward_not_numbers": "Ainda não: a sua função devolveu {got}; devolva dscores, um "
    "array {n} x {n} de números.",
    "training.backward_not_finite": "Ainda não: o seu dscores contém inf ou nan; cada entrada deve "
    "ser um número finito.",
    "training.backward_shape": "dscores deveria ter a forma dos pesos, {expected}; veio {got}.",
    "training.backward_right": "Correto! Esse é o gradiente que o laço de treinamento usa.",
    "training.backward_sign": "O sinal está trocado: dscore_ij = alpha_ij (dalpha_ij - sum_k alpha_ik dalpha_ik).",
    "training.backward_diagonal": "Você ficou só com alpha_ij dalpha_ij. Aumentar um score também "
    "diminui todos os outros pesos da linha: subtraia também alpha_ij "
    "sum_k alpha_ik dalpha_ik.",
    "training.backward_axis": "Você somou no eixo errado: sum_k alpha_ik dalpha_ik percorre a linha i (as keys k), então a soma é feita no último eixo, um número por linha.",
    "training.backward_keepdims": "As somas das linhas perderam o eixo: uma soma no último eixo dá um array 1-D, que o numpy alinha com as colunas, não com as linhas. Guarde-a como coluna (keepdims=True).",
    "training.backward_w_one_minus_w": "Isso é alpha_ij (1 - alpha_ij) dalpha_ij, a derivada da sigmoide. Numa softmax, aumentar um score também diminui todos os outros pesos da linha, então cada dscore_ij reúne a linha toda.",
    "training.backward_future": "As células mascaradas (j > i) precisam receber gradiente 0: o peso "
    "delas é exatamente 0, seja qual for o score.",
    "training.backward_other": "Ainda não. Confira uma linha à mão: dscore_ij = alpha_ij (dalpha_ij "
    "- sum_k alpha_ik dalpha_ik).",
    "training.logit_unanswered": "Ainda sem resposta: troque None por um número.",
    "training.logit_not_number": "A resposta é um número; veio {got}.",
    "training.logit_right": "Correto! dL/dlogit = p - y = {p} - {y} = {expected}: o modelo está "
    "inseguro demais sobre '-a', e o gradiente empurra o logit para cima.",
    "training.logit_sign": "O sinal está trocado: isso é y - p. A descida do gradiente subtrai o "
    "gradiente, então um logit que precisa subir tem gradiente negativo.",
    "training.logit_sigmoid": "Essa é a derivada da própria sigmoide, p (1 - p); multiplique pela "
    "derivada da entropia cruzada e quase tudo se cancela.",
    "training.logit_factor": "Isso é o gradiente vezes 2 (ou pela metade): a regra da cadeia aqui não traz fator 2; a derivada da sigmoide cancela exatamente o denominador da entropia cruzada.",
    "training.logit_loss": "Isso é uma perda, −ln de uma probabilidade, não um gradiente: a pergunta é quão rápido a perda muda quando o logit se move.",
    "training.logit_wrt_p": "Isso é dL/dp, o gradiente em relação à probabilidade. O logit vem um passo antes na cadeia: dL/dlogit = dL/dp · dp/dlogit.",
    "training.logit_other": "Ainda não: para uma sigmoide seguida de entropia cruzada, a regra da "
    "cadeia se reduz a uma subtração.",
    "training.target_right": "Correto! 'gata' é o substantivo que o adjetivo descreve: 'Ele viu cada gata preta'.",
    "training.target_ele": "'Ele' tem gênero, masculino, mas é quem viu, não quem é preto. "
    "Que palavra o adjetivo descreve?",
    "training.target_cada": "'cada' é igual nos dois gêneros (cada gato, cada gata).",
    "training.target_stem": "O radical é o mesmo em 'preto' e 'preta'; ele não decide a terminação.",
    "training.target_viu": "'viu' não tem gênero: 'ele viu', 'ela viu'.",
    "training.target_unanswered": "Ainda sem resposta: troque None por uma das palavras, como string.",
    "training.target_other": "Escolha uma das palavras {words}.",
    # the chapter's audit and the exercises of notebook 07 (selfattn_lib.audit)
    "audit.chain_correct": "correto",
    "audit.chain_wrong_from_the_start": "errado desde o início",
    "audit.chain_carried_forward": "erro propagado",
    "audit.chain_does_not_follow": "não decorre dos números anteriores do próprio capítulo",
    "audit.step_1": "Passo 1: projeções (q, k, v)",
    "audit.step_2": "Passo 2: scores",
    "audit.step_3": "Passo 3: pesos do softmax",
    "audit.step_4": "Passo 4: saídas (soma ponderada dos values)",
    "audit.column_quantity": "quantidade",
    "audit.column_printed": "o capítulo imprime",
    "audit.column_correct_scaled": "valor correto (com escala)",
    "audit.column_correct_unscaled": "valor correto (sem escala)",
    "audit.column_own": "a partir dos números do próprio capítulo",
    "audit.column_verdict": "veredito (lugar na cadeia)",
    "audit.column_written": "escrito",
    "audit.marker_first_error": " ◀ primeiro erro",
    "audit.marker_new_error": " ◀ erro novo",
    "audit.printed_in": " (impresso no passo {step})",
    "audit.from_x_and_w": "(de X e W)",
    "audit.input_changed": "x_{j} “{token}” mudou",
    "audit.output_changes": "muda",
    "audit.output_identical": "idêntica",
    "audit.first_unanswered": 'Ainda sem resposta: ponha em `first_wrong` o nome de uma quantidade, por exemplo "q_2".',
    "audit.first_not_in_chain": "Essa não é uma quantidade desta cadeia: {answer}. Escolha uma destas: {names}.",
    "audit.first_right_number": "{name} está certo: recalcule a partir de X e dos pesos e você obtém "
    "os mesmos números. Continue descendo a cadeia.",
    "audit.first_carried": "{name} está errado, mas decorre corretamente dos números escritos antes "
    "dele: o erro é propagado. O erro entrou antes: recalcule cada score.",
    "audit.first_correct": "Correto! score(x_2, x_2) deveria ser {value}: o produto ({q})·{k} foi "
    "somado com o sinal errado. alpha_21, alpha_22 e a_2 herdam esse erro.",
    "audit.label_not_text": "um rótulo é um texto entre aspas, como {example}; veio um {type}",
    "audit.label_too_long": "um rótulo tem poucas palavras; esta resposta tem {length} caracteres",
    "audit.label_several": "ela cita mais de um rótulo ({labels}); escolha um",
    "audit.label_denied": "ela diz o que o número não é ({labels}); diga o que ele é",
    "audit.labels_unanswered": "Ainda sem resposta: preencha o dicionário `my_labels` com um rótulo "
    "para cada quantidade.",
    "audit.labels_not_dict": "`my_labels` precisa ser um dicionário {{quantidade: rótulo}}, como "
    '{{"q_1": {example}}}; veio um {type}.',
    "audit.labels_too_many": "`my_labels` tem {count} entradas; o capítulo imprime {printed} números.",
    "audit.labels_not_printed": "{quantity}: não é um número que o capítulo imprime.",
    "audit.labels_one_unanswered": "{quantity}: ainda sem resposta.",
    "audit.labels_use_one": "{quantity}: {problem}Use um dos quatro rótulos: {labels}, 'não decorre' "
    "(ou o nome em inglês "
    "que o código usa).",
    "audit.labels_right": "{quantity}: Correto! ({label})",
    "audit.labels_not_correct": "{quantity}: não está correto: a partir de X e W ele é {correct}, e "
    "o capítulo imprime {printed}.",
    "audit.labels_not_start": "{quantity}: ele é calculado a partir de números anteriores "
    "({inputs}), então não pode ser o começo de uma cadeia. Recalcule-o a "
    "partir dos próprios dados do capítulo.",
    "audit.labels_is_correct": "{quantity}: olhe de novo: recalcule-o a partir de X e W e compare "
    "com o que o capítulo imprime.",
    "audit.labels_is_start": "{quantity}: olhe de novo: de quais números impressos antes ele é "
    "calculado? Recalcule-o a partir de X e W e compare.",
    "audit.labels_not_carried": "{quantity}: recalcule-o a partir dos próprios {inputs} do "
    "capítulo e compare com o que ele imprime ({printed}).",
    "audit.labels_is_carried": "{quantity}: recalcule-o a partir dos próprios {inputs} do capítulo e "
    "compare com o que ele imprime ({printed}), dentro da margem de "
    "arredondamento da auditoria (meia unidade do último dígito + "
    "{grace}).",
    "audit.labels_score": "{right} de {total} certos.",
    "audit.score_bad_index": "Não dá para conferir: {name} precisa ser o índice de um token contado "
    "a partir de 1, de 1 a {n}; veio {got}.",
    "audit.score_bad_scaled": "Não dá para conferir: scaled precisa ser True ou False; veio {got}.",
    "audit.score_unanswered": "Ainda sem resposta: ponha em `my_score` o seu valor de {name}.",
    "audit.score_not_number": "{name} é um número; veio {got}.",
    "audit.score_right": "Correto! {name} = {value}.",
    "audit.score_printed": "Esse é o número impresso no capítulo: recalcule-o a partir de X e W.",
    "audit.score_printed_inputs": "Você usou q_{i} e k_{j} impressos no capítulo, que estão errados: "
    "calcule primeiro você mesmo q_{i} = x_{i} W^Q e k_{j} = x_{j} "
    "W^K.",
    "audit.score_printed_inputs_unscaled": "Você usou q_{i} e k_{j} impressos no capítulo (e não "
    "dividiu por sqrt(d_k)): calcule-os primeiro a partir "
    "de X e W.",
    "audit.score_unscaled": "Faltou dividir por sqrt(d_k) = 2.",
    "audit.score_divided_by_dk": "Você dividiu por d_k = 4; a fórmula divide por sqrt(d_k) = 2.",
    "audit.score_swapped": "Esse é score(x_{j}, x_{i}) = q_{j} · k_{i}: a query vem de x_{i}, a key de x_{j}.",
    "audit.score_other_scaled": "Não é {name}. Calcule q_{i} = x_{i} W^Q e k_{j} = x_{j} W^K, o "
    "produto escalar deles, e depois divida por sqrt(d_k).",
    "audit.score_other": "Não é {name}. Calcule q_{i} = x_{i} W^Q e k_{j} = x_{j} W^K e o produto escalar deles.",
    # the library's own errors (selfattn_lib.attention.LearnerError), in the learner's language
    "core.flag": "{name} precisa ser True ou False; veio {got} ({type})",
    "core.overflow": "as entradas são grandes demais: {name} passou do limite do float64 (cerca de "
    "1,8e308); use valores menores em X e nas matrizes de pesos",
    "core.the_scores": "o cálculo dos scores",  # "{name} passou do limite": singular
    "core.the_output": "o cálculo da saída",
    "core.the_output_concat": "o cálculo da saída concat @ W_o",
    "core.rows_match_x": "{name} precisa ter d_model = {d_model} linhas, como X (X é {n} x "
    "{d_model}, uma linha por token); veio {name} com forma {rows} x {cols}",
    "core.d_k_match": "W_q e W_k precisam ter o mesmo número de colunas (d_k), porque q_i . k_j "
    "precisa de vetores do mesmo tamanho; veio W_q com {q} e W_k com {k}",
    "core.got_none": "{name} precisa ser {shape} de números; veio None",
    "core.masked_array": "{name} precisa ser um array simples de números; veio um masked array do numpy, "
    "cuja máscara seria ignorada aqui. Preencha antes as entradas mascaradas "
    "({name}.filled(valor)) ou, na atenção, passe a máscara para softmax(scores, mask)",
    "core.ragged": "{name} precisa ser {shape} de números com linhas do mesmo comprimento; veio uma lista "
    "com linhas de comprimentos diferentes",
    "core.not_numbers": "{name} só pode conter números (int ou float); veio um array do tipo {dtype} ({got})",
    "core.ndim": "{name} precisa ser {shape}; veio um array {ndim}-D de forma {shape_got}",
    "core.single_number": "{name} precisa ser um array de números, pelo menos 1-D; veio o número {got} sozinho",
    "core.empty": "{name} precisa ter {what}; veio a forma {shape}",
    "core.one_row_one_column": "pelo menos uma linha e uma coluna",
    "core.one_entry": "pelo menos uma entrada",
    "core.too_large": "{name} tem um número grande demais para o float64 (cerca de 1,8e308){where}: {got}",
    "core.not_a_number": "{name} só pode conter números (int ou float); veio {got} ({type}){where}",
    "core.not_finite": "{name} só pode conter números finitos; veio {got}{where}",
    "core.shape_any": "um array (1-D ou mais)",
    "core.shape_matrix": "um array 2-D (uma matriz: linhas x colunas)",
    "core.shape_vector_or_matrix": "um array 1-D ou 2-D",
    "core.at_position": " na posição {position}",
    "core.at_row_column": " na linha {row}, coluna {column}",
    "core.at_index": " no índice {index}",
    "core.w_rows": "W precisa ter d_model = {d_model} linhas, como X (X tem forma {shape}); veio W com "
    "forma {rows} x {cols}",
    "core.q_k_columns": "Q e K precisam ter o mesmo número de colunas (d_k), porque q_i . k_j precisa de "
    "vetores do mesmo tamanho; veio Q com {q} e K com {k}",
    "core.n_whole": "n precisa ser um número inteiro (o número de tokens); veio {got} ({type})",
    "core.n_at_least_1": "n precisa ser pelo menos 1 (o número de tokens); veio {got}",
    "core.n_at_most": "n pode ser no máximo {limit} (uma máscara n x n); veio {got}",
    "core.scores_finite": "scores só pode conter números finitos (ou -inf numa entrada mascarada); veio {got}{where}",
    "core.weights_columns": "weights precisa ter uma coluna por linha de V (uma por token): V tem {rows} "
    "linhas; veio weights com forma {w_rows} x {w_cols}",
    "core.t_size": "t precisa ter d_model = {d_model} números, um por coluna de X; veio {got}",
    # plots of notebooks 10-11 (selfattn_lib.plots_more)
    "plot_encoding_title": "Codificação posicional senoidal PE ({n} posições × d_model = {d_model})",
    "plot_position_axis": "posição (linha)",
    "plot_column_axis": "coluna de PE (pares: sin, cos)",
    "plot_head_title": "cabeça {head}",
    # rótulos e linhas impressas dos próprios notebooks (say("nb.…") nas células de código)
    "nb.x_one_row_per_token": "X (uma linha por token):",
    "nb.weights_rows": "pesos (linha i: quanta atenção o token i dá a cada token j):",
    "nb.output_rows": "saída (linha i: a_i):",
    "nb.x_rows": "X (a linha i é x_i):",
    "nb.q_rows": "Q = X W^Q (a linha i é q_i):",
    "nb.x_inputs": "X (entradas)",
    "nb.row3_one_matrix": "uma matriz,    linha 3 (preto): {row} -> maior: token {best}",
    "nb.row3_two_matrices": "duas matrizes, linha 3 (preto): {row} -> maior: token {best}",
    "nb.self_match_rule": "uma matriz: q_i . q_i >= q_i . q_j sempre que |q_j| <= |q_i|:",
    "nb.multiplications_header": "    n   multiplicações: forma matricial   recorrência RNN   razão",
    "nb.multiplications_row": "{n:5d}   {matrix:30d}   {rnn:15d}   {ratio:5.1f}",
    "nb.each_alone_equals": "atenção, cada a_i sozinho, em ordem embaralhada == forma matricial:",
    "nb.rnn_at_once": "RNN, todos os h_t de uma vez == a recorrência: {same} (só h_1 concorda: {first})",
    "nb.rounds_header": "    n   rodadas: forma matricial   recorrência RNN",
    "nb.rounds_row": "{n:5d}   {matrix:24d}   {rnn:15d}",
    "nb.rnn_faster_from": "RNN mais rápida a partir de n = {n} (nesta execução)",
    "nb.zeroed_renormalised": "zerados e renormalizados == pesos causais:",
    "nb.case_neutral": "neutro",
    "nb.case_nouns": "o do substantivo",
    "nb.case_other": "o outro",
    "nb.case_none": "sem sujeito",
    "nb.cases_header": "gênero do determinante  gênero do sujeito  frases  erros: modelo fácil  modelo completo",
    "nb.cases_row": "{determiner:<23} {subject:<18} {total:6d}  {easy:19d}  {full:15d}",
    "nb.cannot_compute": "<b>Não dá para calcular:</b> {error}",
    "nb.d_k_axis": "d_k (comprimento de q e de k)",
    "nb.score_std_axis": "desvio padrão do score",
    "nb.spread_title": "A dispersão de q · k cresce como √d_k; dividir por √d_k a mantém perto de 1",
    "nb.spread_line": "d_k = {d_k:5d}: dispersão de q.k = {raw:6.1f},  de q.k/sqrt(d_k) = {scaled:4.2f}",
    "nb.largest_weight_line": "d_k = {d_k:3d}: maior peso {raw:.2f} sem escala, {scaled:.2f} com escala",
    "nb.divide_by_root_dk": "dividir por √d_k",
    "nb.scores_title_scaled": "Scores q·k / √d_k (com escala)",
    "nb.scores_title_unscaled": "Scores q·k (sem escala)",
    "nb.weights": "pesos:",
    "nb.row_sums": "somas das linhas:",
    "nb.shifted_scores": "scores + {c:7.1f} -> pesos {weights}",
    "nb.naive": "ingênuo:",
    "nb.stable": "estável:",
    "nb.stable_minus_1000": "estável, a mesma linha menos 1000:",
    "nb.weight": "peso",
    "nb.bar_value": "{value:.2f}",
    "nb.softmax_factor_title": "softmax({factor:.3g} × q₃·kⱼ)",
    "nb.v_rows": "V (a linha j é v_j):",
    "nb.output_rows_a": "saída (a linha i é a_i):",
    "nb.v3_equal": "v_3 de preto, igual nas duas frases:",
    "nb.a3_in": "a_3 em '{sentence}':",
    "nb.masked_scores": "máscara(Q K^T / sqrt(d_k)):",
    "nb.a_weights_v": "A = pesos V:",
    "nb.matrix_form_eq_steps": "forma matricial == nosso A passo a passo:",
    "nb.matrix_form_eq_loop": "forma matricial == laço token a token:   ",
    "nb.weights_equal_too": "pesos iguais também:                     ",
    "nb.method_matrix_form": "forma matricial",
    "nb.method_per_token_loop": "laço token a token",
    "nb.method_rnn": "recorrência RNN",
    "nb.time_axis": "tempo (ms, o melhor de 5)",
    "nb.timing_title": "Forma matricial, laço token a token, recorrência RNN (largura 64, um núcleo)",
    "nb.score_matrix_size": "n = {n:7,d} tokens: matriz de scores {entries:>15,d} entradas = {megabytes:>10,.0f} MB",
    "nb.causal_mask": "máscara causal",
    "nb.weights_n_by_n": "pesos: {n} x {n}, {mode}",
    "nb.unchanged_bit_for_bit": "inalterada, bit a bit",
    "nb.unchanged": "inalterada",
    "nb.changed": "mudou",
    "nb.zeroed_row_sums": "zerados, sem renormalizar, somas das linhas:",
    "nb.renormalised_eq_masked": "renormalizados == mascarados antes do softmax:",
    "nb.change": "mudar",
    "nb.by": "em",
    "nb.how_far_moved": "quanto a_i se moveu",
    "nb.pushed_title": "x_{i} + {amount:g}, {mode}",
    "nb.count_of": "{count:2d} de {total}: {label}",
    "nb.chapter_products": "os produtos do próprio capítulo: {products} = {value:.2f}",
    "nb.chapter_prints": "o capítulo imprime:              {value:g}",
    "nb.reproduced_by_wx": "{name}: vetores impressos reproduzidos por W x_i: {hits}",
    "nb.none": "nenhum",
    "nb.chapter_printed_weights": "Os pesos impressos no capítulo",
    "nb.correct_unscaled": "Corretos, sem escala (como o exemplo)",
    "nb.correct_scaled": "Corretos, divididos por sqrt(d_k) (como a formalização)",
    "nb.unchanged_per_row": "pesos inalterados ao somar uma constante por linha:",
    "nb.unchanged_per_column": "pesos inalterados ao somar algo que varia com j:   ",
    "nb.column_term": "t W^Q . k_j para j = 1, 2, 3: {value}  <- não é o mesmo para todo j",
    "nb.predicted_change": "a mudança de score prevista pelo passo IV é igual à real:",
    "nb.weights_before": "pesos de x_{i} antes:  {value}",
    "nb.weights_after": "pesos de x_{i} depois: {value}",
    "nb.rank": "posto das W^Q e W^K do capítulo:",
    "nb.weights_unchanged": "pesos inalterados:",
    "nb.every_output_moved": "cada saída se moveu exatamente t W^V:",
    "nb.theorem_holds": "o Teorema 1 vale em todas as entradas aleatórias:",
    "nb.prefix_equal": "a_i causal é igual à atenção sem máscara sobre x_1..x_i (até 1e-12):",
    "nb.unmasked_differs": "enquanto a atenção sem máscara sobre todos os tokens difere:",
    "nb.written_correct": "{name}: escrito {written}, correto {correct}",
    "nb.straight_from_x": "(vem direto de X e W)",
    "nb.printed_correct_own": "{quantity}: impresso {printed}; correto {correct}; a partir dos números anteriores do próprio capítulo {own} -> {chain}",
    "nb.vocabulary_counts": "palavras: {nouns} pares de substantivos, {adjectives} adjetivos, {verbs} verbos, {adverbs} advérbios, {determiners} determinantes, {persons} pessoas",
    "nb.held_out": "palavras só do teste: {nouns}, {adjectives}",
    "nb.train_test_sizes": "{train} frases de treinamento, {test} frases de teste (com palavras só do teste). As seis primeiras:",
    "nb.x_for_sentence": "X de 'O gato pret- correu rapidamente' (uma linha por token)",
    "nb.step0_loss": "passo 0: perda {loss:.4f}, ln 2 = {log2:.4f}",
    "nb.step0_noun_weight": "passo 0: peso médio do adjetivo no seu substantivo {weight:.3f}",
    "nb.hand_written_gradient": "dL/dW^V[gender, 1] escrito à mão = {value:+.8f}",
    "nb.finite_difference": "diferença finita                 = {value:+.8f}",
    "nb.step0_largest_gradient": "passo 0, maior |dL/d{name}| = {value:.6f}",
    "nb.training_loss_title": "Perda de treinamento (entropia cruzada, log)",
    "nb.step": "passo",
    "nb.loss": "perda",
    "nb.noun_weight_title": "Peso médio α(adjetivo → seu substantivo), treinamento",
    "nb.run_summary": "{steps} passos, taxa de aprendizado {lr:g}, pesos guardados nos passos {kept}",
    "nb.loss_first_last": "perda: passo 0 {first:.4f}, passo {steps} {last:.2e}",
    "nb.after_steps": "Depois de {step} passos de treinamento (perda {loss:.2g})",
    "nb.snapshot": "passo de treinamento",
    "nb.step_of": "passo {step} de {last}",
    "nb.could_not_draw": "não foi possível desenhar este passo: {error}",
    "nb.step_loss": "passo {step}, perda {loss:.2g}",
    "nb.attention_weight_alpha": "peso de atenção α",
    "nb.weights_during_training": "Pesos de atenção de 'O gato pret- correu rapidamente' durante o treinamento (causal, com escala)",
    "nb.learned_matrix": "{name} aprendida (passo {step})",
    "nb.readout": "leitura final w_out = {w_out}   b_out = {b_out:.4f}",
    "nb.scores_of_pret": "scores de pret- em O, gato, pret-:",
    "nb.weights_of_pret": "pesos de pret-:                   ",
    "nb.model_writes": "P(-a) = {p_a:.1e}, P(-o) = {p_o:.4f}  ->  o modelo escreve '{word}'",
    "nb.before_training": "antes do treinamento",
    "nb.after_training": "depois do treinamento",
    "nb.accuracy_noun_weight": "{label:16} acurácia {accuracy:.1%}, peso no substantivo: média {mean:.3f}, mínimo {lowest:.3f}",
    "nb.five_held_out": "cinco frases com palavras só do teste:",
    "nb.held_out_line": "  {sentence:38} -> {guess:10} (certo: {right}); α no substantivo {weight:.2f}",
    "nb.its_own_test": "no seu próprio teste",
    "nb.full_test_above": "no teste completo acima",
    "nb.on_test": "{label:23} acurácia {accuracy:.1%}, peso médio no substantivo {mean:.3f}",
    "nb.trained_with_shares": "Treinado com neutral_share={neutral_share}, seeing_share={seeing_share}",
    "nb.explorer_result_equal": "resultado do explorador == sa.self_attention:",
    "nb.output_of": "{sentence:13} saída de {token:8} {output}",
    "nb.outputs_reordered": "saídas novas == saídas antigas, linhas reordenadas:",
    "nb.no_mask_reordered": "sem máscara: as saídas de 'o cão viu o gato' são as de 'o gato viu o cão', reordenadas:",
    "nb.no_mask_gato": "sem máscara: a saída de 'gato' em cada frase:",
    "nb.gato_saw": "(o gato viu)",
    "nb.gato_was_seen": "(o gato foi visto)",
    "nb.mask_reordered": "máscara: saídas de 'o cão viu o gato' == as de 'o gato viu o cão' reordenadas:",
    "nb.mask_gato_second": "máscara: a saída de 'gato'  (segundo lugar)",
    "nb.mask_gato_last": "         a saída de 'gato'  (último lugar) ",
    "nb.last_word_of": "última palavra de {sentence:22}",
    "nb.the_same": "iguais:",
    "nb.two_layers_last": "duas camadas com máscara, última palavra de {sentence}:",
    "nb.positions_no_mask": "com posições, sem máscara: saídas reordenadas iguais?",
    "nb.output_gato_saw": "a saída de 'gato' (o gato viu)      ",
    "nb.output_gato_was_seen": "a saída de 'gato' (o gato foi visto)",
    "nb.positions_and_mask": "com posições e máscara: última palavra, antecessoras embaralhadas, igual?",
    "nb.squared_length": "comprimento ao quadrado de cada linha:",
    "nb.shift_error": "k = {k:+d}: maior |PE[pos] M_k - PE[pos + k]| em {count} posições = {error:.1e}",
    "nb.distance_range": "distância {k:2d}: PE[a].PE[a+{k}] de {low:.6f} a {high:.6f}",
    "nb.pe0_pek": "PE[0] . PE[k] para k = 0..9:",
    "nb.pe_dots_title": "PE[a] · PE[b]: constante ao longo de cada diagonal",
    "nb.position_b": "posição b",
    "nb.position_a": "posição a",
    "nb.pe_distance_title": "PE[a] · PE[a + k] em função da distância k",
    "nb.distance_k": "distância k",
    "nb.dot_product": "produto escalar",
    "nb.learned_table": "uma tabela aprendida antes do treinamento (5 posições, as 4 primeiras colunas):",
    "nb.words": "palavras",
    "nb.add_positions": "somar posições",
    "nb.same": "igual",
    "nb.changed_word": "mudou",
    "nb.setting_False_False": "sem máscara, sem posições",
    "nb.setting_True_False": "máscara, sem posições",
    "nb.setting_False_True": "sem máscara, posições",
    "nb.setting_True_True": "máscara, posições",
    "nb.output_each_word_title": "Saída de cada palavra em 'o cão viu o gato' e em 'o gato viu o cão'",
    "nb.head_weights": "cabeça {head}: d_k = {d_k}, pesos:",
    "nb.concat_shape": "concatenação (n x n_heads*d_v):",
    "nb.single_head_weights": "a cabeça única do capítulo, pesos:",
    "nb.one_head_equals": "1 cabeça, W_O = I, igual a self_attention:",
    "nb.head0_equals": "cabeça 0 == self_attention nas colunas 0-1:",
    "nb.one_head_dk4": "uma cabeça, d_k = 4",
    "nb.cost_header": "passo            8 cabeças×64   1 cabeça×512",
    "nb.train_test_four": "{train} frases de treinamento, {test} frases de teste; as quatro primeiras:",
    "nb.loss_start_end": "perda no passo 0: {start:.4f} (2 ln 2 = {reference:.4f}); depois de {steps} passos: {end:.6f}",
    "nb.gradient_check": "dL/d{name}{index}: à mão {by_hand:+.8f}, diferença finita {numeric:+.8f}",
    "nb.share_right": "fração de acertos:",
    "nb.per_relation": "substantivo {noun:.3f}, sujeito {subject:.3f}",
    "nb.noun_subject_header": "          no substantivo  no sujeito",
    "nb.head_noun_subject": "cabeça {head}: {noun:14.3f} {subject:11.3f}",
    "nb.cost_total": "produtos, total",
    "nb.sum_of_heads": "concat W^O é igual à soma, sobre as cabeças, de head_h W^O_h:",
    "nb.without_head": "sem a cabeça {head}: fração de acertos {share}",
    "nb.one_head_share": "uma cabeça: fração de acertos",
    "nb.one_head_weights": "uma cabeça: peso médio no substantivo {noun:.3f}, no sujeito {subject:.3f}",
    "nb.feminine_share": "fração de terminações femininas no conjunto de teste:",
    "nb.yes": "sim",
    "nb.no": "não",
    "nb.seeds_header": "semente  duas cabeças: resolvem  dividem  uma cabeça: resolve  perda < 0,1 no passo (duas / uma)",
    "nb.seed_row": "{seed:7d}                  {two:>5}  {split:>7}                {one:>5}  {two_step:>4} / {one_step}",
    "nb.loss_jumps": "uma cabeça: passos em que a perda saltou (a perda alcançada):",
    "nb.loss_jump": "{step} ({loss:.2f})",
    "nb.loss_two_one": "perda no passo {step:3d}: duas cabeças {two:.4f}, uma cabeça {one:.4f}",
    "nb.weight_on_noun": "peso no substantivo",
    "nb.weight_on_subject": "peso no sujeito",
    "nb.step_colon_loss": "passo {step}: perda {loss:.4f}",
    "nb.two_heads": "duas cabeças",
    "nb.one_head_same_width": "uma cabeça, mesma largura",
    "nb.training_loss_log": "Perda de treinamento (escala log)",
    "nb.head_to_noun": "cabeça {head} → substantivo",
    "nb.head_to_subject": "cabeça {head} → sujeito",
    "nb.last_word_weight_title": "Peso médio da última palavra, por cabeça",
    "nb.cost_projections": "projeções",
    "nb.cost_scores": "scores",
    "nb.cost_softmax_exps": "exponenciais",
    "nb.cost_weighted_sum": "soma ponderada",
    "nb.cost_W_o": "projeção W^O",
    "nb.corpus_sizes": "{sentences} frases de treinamento, {words} palavras no vocabulário; as seis primeiras:",
    "nb.lowest_loss": "a taxa de entropia da gramática (a perda esperada do melhor modelo honesto "
    "em frases novas): {best:.4f}",
    "nb.final_loss_with": "perda final de treinamento com a máscara: {loss:.4f}",
    "nb.final_loss_without": "perda final de treinamento sem a máscara: {loss:.4f}",
    "nb.lowest_honest": "(a taxa de entropia da gramática: {best:.4f})",
    "nb.best_on_test": "o melhor modelo honesto nas {count} frases de teste: {loss:.4f} (erro padrão {se:.4f})",
    "nb.batches_below": "com a máscara, lotes abaixo da taxa de entropia: {count} de {total}, o menor {low:.4f}",
    "nb.with_mask": "com a máscara",
    "nb.without_mask": "sem a máscara",
    "nb.lowest_possible_honest": "taxa de entropia (melhor modelo honesto, esperada)",
    "nb.batch_loss_title": "Perda de treinamento em cada lote (escala log)",
    "nb.trained_with_mask": "treinado com a máscara",
    "nb.trained_without_mask": "treinado sem a máscara",
    "nb.leak_weight": "sem a máscara, peso médio da posição t na posição t+1: {weight:.4f}",
    "nb.last_row_looks": "sem a máscara, a última posição olha mais para a posição {position} (peso {weight:.2f})",
    "nb.test_losses": "{name:13}: perda de teste, frase inteira visível {whole:.4f}; uma palavra por vez {honest:.4f}",
    "nb.share_sentences": "    fração das {count} amostras que são frases: {share:.2f}",
    "nb.seeds_lm_header": "semente   com a máscara: perda uma palavra por vez, fração de frases   sem: perda, fração",
    "nb.seed_lm_row": "{seed:7d}   {with_loss:25.4f} {with_share:20.2f}   {without_loss:11.4f} {without_share:7.2f}",
    "nb.uniform_guess": "(chutando uniformemente entre as {count} palavras: perda ln {count} = {loss:.4f})",
    "nb.model": "modelo",
    "nb.p_next_word": "P(próxima palavra)",
    "nb.prompt_menu": "início",
    "nb.after_prompt": "{model}: depois de '{prompt}'",
    "nb.trained_p_next": "treinado {name}: P(próxima palavra | o gato dormiu ontem)",
    "nb.probability": "probabilidade",
    "nb.p_masculine_state": "com a máscara, P(estado masculino) = {p:.4f}",
    "nb.p_masculine_after": "com a máscara, depois de “{prompt}”: P(estado masculino) = {p:.3f}",
    # explorer under hostile input (issue 14)
    "alt_attention": "Dois mapas de calor para {n} tokens ({mode}). À esquerda: os scores, de {low} a "
    "{high}. À direita: os pesos de atenção α; a linha do foco {focus} está contornada. "
    "O maior peso de cada token de query: {rows}.",
    "alt_contributions": "Barras empilhadas: de que é feito a{i} (“{token}”), uma cor por token j "
    "(α{i},j v_j); seus componentes são {output}.",
    "alt_weights_row": "{token} → {most} ({weight})",
    "compute_failed_short": "Não foi possível calcular a atenção com esta mudança: {error} Nada foi alterado.",
    "config_d_k": "W_q tem {q} colunas, mas W_k tem {k}; as duas são d_k",
    "config_format": "não é um arquivo salvo por {format} (versão 1)",
    "config_matrix": "{name} precisa ser uma lista de linhas do mesmo comprimento",
    "config_matrix_size": "{name} tem no máximo {rows} linhas e {cols} colunas",
    "config_numbers": "{name} só pode conter números; veio {value}",
    "config_number_too_large": "{name} tem um número grande demais ({value}); o explorador mostra números até ±{limit}",
    "config_rows": "{name} tem {rows} linhas, mas X tem d_model = {d_model} colunas",
    "config_token_long": "um rótulo de token tem no máximo {limit} caracteres, em uma só linha",
    "decimal_comma": "“{value}” na linha {row}, coluna {col} não é um número; use algarismos e ',' "
    "para os decimais (por exemplo -0,25). Mantido {old}.",
    "draw_failed": "Não foi possível desenhar as figuras com esta mudança ({error}); nada foi alterado.",
    "focus_range": "O token em foco precisa ser um dos tokens, de 0 a {last}. Nada foi alterado.",
    "json_label": "Configuração como texto JSON",
    "json_not_utf8": "O arquivo não é texto UTF-8. Nada foi alterado.",
    "json_too_deep": "aninhado demais",
    "json_syntax": "o texto não é JSON (confira as aspas, as vírgulas e os colchetes)",
    "json_too_long": "Uma configuração tem no máximo {limit} caracteres (veio {got}). Nada foi alterado.",
    "label_control": "Um rótulo de token é uma linha de texto (sem tabulações nem quebras de linha); mantido “{old}”.",
    "label_invisible": "Um rótulo de token é texto que aparece como é: sem caracteres invisíveis ou "
    "que mudam a direção (como U+200B ou U+202E); mantido “{old}”.",
    "label_too_long": "Um rótulo de token tem no máximo {limit} caracteres (veio {got}); mantido “{old}”.",
    "label_tooltip": "rótulo do token {row}",
    "number_too_long": "Linha {row}, coluna {col}: no máximo {limit} caracteres numa caixa de número. Mantido {old}.",
    "paste_ambiguous": "Linha {line}: em “{value}” a vírgula separa números, mas em português a "
    "vírgula é o separador decimal. Separe os números com espaços, tabulações ou "
    "ponto e vírgula (0,5; 0,5). Nada foi alterado.",
    "paste_comma_separator_pt": "Linha {line}: aqui a vírgula separa números, mas em português a "
    "vírgula é o separador decimal. Separe os números com espaços, "
    "tabulações ou ponto e vírgula (0,5; 0,5). Nada foi alterado.",
    "paste_label": "Cole uma matriz {name} inteira",
    "paste_placeholder_pt": "Cole uma matriz: cada linha da matriz numa linha de texto, números "
    "separados por espaços, tabulações ou ponto e vírgula. Vírgula decimal "
    "(0,5); o ponto também é aceito.",
    "paste_shape_plain": "Esta matriz precisa ser {rows} × {cols}; veio {got_rows} × {got_cols}. Nada foi alterado.",
    "paste_too_big": "Uma matriz colada tem no máximo {rows} linhas e {cols} colunas. Nada foi alterado.",
    "paste_too_long": "No máximo {limit} caracteres podem ser colados (veio {got}). Nada foi alterado.",
    "size_not_integer": "{name} precisa ser um número inteiro; veio {value}. Nada foi alterado.",
    "size_range_kept": "{name} precisa estar entre 1 e {limit}; veio {value}, mantido {kept}.",
    "too_large": "{name} teria {value} (linha {row}, coluna {col}); o explorador mostra números até "
    "±{limit} para que toda tabela e toda figura possam ser desenhadas. Nada foi alterado.",
    # além do capítulo: cabeças, W^O e posições (notebooks 10 e 11)
    "explorer_heads_section": "Além do capítulo: ordem das palavras e várias cabeças (notebooks 10 e 11)",
    "explorer_heads_n": "cabeças",
    "explorer_heads_tooltip": "Número de cabeças h: W^Q e W^K são divididas em h blocos de d_k/h colunas, "
    "W^V em h blocos de d_v/h; as saídas das cabeças, lado a lado, são "
    "multiplicadas por W^O. Com 1 cabeça o explorador é o do capítulo (sem W^O).",
    "explorer_positions": "somar posições: X + PE",
    "explorer_positions_tooltip": "Soma a codificação posicional senoidal PE a X antes das projeções, "
    "para que a ordem das palavras mude os resultados",
    "explorer_heads_editor_W_o": "W<sup>O</sup>: pesos de saída (d<sub>v</sub> × d<sub>model</sub>; "
    "usada com 2 ou mais cabeças)",
    "explorer_heads_view_input": "X + PE: o que as projeções multiplicam (PE: codificação posicional "
    "senoidal; X + PE toma o lugar de X em todas as fórmulas abaixo)",
    "explorer_heads_title": "cabeça {head}",
    "explorer_heads_view_concat": "concat: as saídas das cabeças lado a lado (cabeça 1 | cabeça 2 | …)",
    "explorer_heads_view_output": "Saídas (como linhas) = concat × W^O",
    "explorer_heads_one_head_only": "As contribuições e o passo a passo mostram uma cabeça só: "
    "escolha 1 cabeça para vê-los.",
    "explorer_heads_alt": "{n_heads} mapas de calor dos pesos de atenção, um por cabeça, para {n} tokens "
    "({mode}), todos na mesma escala de 0 a 1; o token em foco {focus} está "
    "contornado. Para cada token de query, a key com o maior peso: {heads}",
    "explorer_heads_alt_head": "cabeça {head}: {rows}",
    "explorer_heads_range": "O número de cabeças é um inteiro de 1 a {limit}; veio {value}, mantido {kept}.",
    "explorer_heads_invalid": "O número de cabeças precisa ser um inteiro de 1 a {limit}; veio {value}.",
    "explorer_heads_divide": "{n_heads} cabeças precisam de d_k e d_v divisíveis por {n_heads} (cada "
    "cabeça fica com um bloco igual de colunas); d_k = {d_k}, d_v = {d_v}. "
    "Nada foi alterado.",
    "explorer_positions_flag": "a soma das posições precisa estar ligada ou desligada (true ou false)",
    "config_heads": "n_heads precisa ser um inteiro de 1 a {limit}",
    "config_positions": "positions precisa ser true ou false",
    "config_W_o_shape": "W_o precisa ser d_v × d_model = {rows} × {cols}; veio {got_rows} × {got_cols}",
    # o controle de fator do notebook 03 (selfattn_lib.sharpness)
    "sharpness.factor": "fator × q·k",
    "sharpness.scaled_option": "1/√d_k = {value} (com escala)",
    "sharpness.unscaled_option": "1 (sem escala)",
    "sharpness.weight_axis": "peso",
    "sharpness.title": "Pesos da linha {i} ({token})\nsoftmax({factor} × {q}·k_j)",
    # figuras estáticas dos notebooks
    "figure.moved_axis": "quanto a_i se moveu",
    # botões de solução (selfattn_lib.solutions): a resposta só aparece quando pedida
    "solution.show": "Mostrar solução",
    "solution.hide": "Ocultar solução",
    "solution.tooltip": "Executa a solução e mostra a resposta aqui (clique de novo para ocultá-la)",
    "solution.hidden": "Solução oculta: clique em “Mostrar solução” com o notebook em execução para vê-la.",
    "solution.failed": "Não foi possível executar a solução ({error}). Execute antes as células acima dela.",
    # o site do curso (tools/site.py, site/page_links.py): uma página sem kernel
    "site.title": "Autoatenção, passo a passo: os notebooks do curso",
    "site.edition_name": "Edição em português",
    "site.other_edition": "In English",
    "site.launch_label": "Executar este notebook",
    "site.launch_binder": "Binder",
    "site.launch_hub": "JupyterHub",
    "site.download": "Baixar o .ipynb",
    "site.widget_note": "Este controle funciona num notebook com kernel; esta página o mostra como foi "
    "guardado, então nada aqui responde a um clique.",
    "site.widget_launch": "Abra o notebook no Binder para mudá-lo.",
    "site.widget_settings": "Ajustes mostrados:",
    "site.widget_alt": "A figura que o controle desenhou no notebook, com os ajustes {settings}",
    "site.widget_alt_start": "iniciais",
    "site.on": "ligado",
    "site.off": "desligado",
}
