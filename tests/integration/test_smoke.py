"""The start page renders."""


def test_start_page_says_what_the_service_does(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "Report a crime and get support" in response.get_data(as_text=True)
