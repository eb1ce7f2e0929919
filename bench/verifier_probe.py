"""Twelve claim-evidence pairs we wrote, through the shipped verifier: where it is right and
where it is not (MODEL_CARD.md, known failure modes).

    python bench/verifier_probe.py
"""

from corroborator.domain import Candidate, Claim, ClaimKind
from corroborator.verify import default_verifier

v=default_verifier()
pairs=[
("The council rejected the budget by a vote of 7-4 on Tuesday.", "The council approved the budget."),
("The council voted 7-4 against the budget on Tuesday.", "The council approved the budget."),
("The fire was put out before noon and nobody was injured.", "Two firefighters were injured in the fire."),
("The strike ended on Friday after workers accepted the offer.", "The strike is still going on."),
("The company said it would not cut any jobs this year.", "The company will cut 400 jobs this year."),
("Police released the suspect without charge.", "Police charged the suspect with murder."),
("The bombers flew from Guam.", "The bombers flew from Alaska."),
("The minister resigned on Monday.", "The minister remains in office."),
("The drill lasted about three hours.", "The drill lasted more than six hours."),
("Sales rose 10 percent.", "Sales fell."),
("The council approved the budget by a vote of 7-4 on Tuesday.", "The council approved the budget."),
("Two US bombers flew with Japanese and South Korean fighters.", "Japanese fighters took part in the drill."),
]
items=[(Claim(id="c",text=c,span=(0,1),kind=ClaimKind.EVENT,sentence=c),Candidate(sentence_id=0,article_id="a",sentence=e)) for e,c in pairs]
for (e,c),p in zip(pairs,v.predict(items)): print(p.stance[:3], round(p.supports,2), round(p.refutes,2), round(p.neutral,2), '|', c, '<-', e)
